package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.HeadSpec;
import io.sparknas.space.TestSpaces;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A user's ONNX teacher through ONNX Runtime: checked when opened, then predicting on the students' grid. */
class OnnxTeacherTest {

    private static final HeadSpec HEAD = TestSpaces.standard().head();

    @Test
    void aTeacherWithTheStudentsGridPredictsWhatItsGraphComputes() {
        int channels = HEAD.predictionChannels();
        try (OnnxTeacher teacher = new OnnxTeacher(OnnxModels.pooledConvolution(64, 16, channels, 5), "pooled.onnx",
                64, HEAD)) {
            INDArray images = Nd4j.zeros(DataType.FLOAT, 2, 3, 64, 64);
            images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(1.0);
            INDArray out = teacher.predict(images);
            assertArrayEquals(new long[] {2, channels, 4, 4}, out.shape());
            INDArray zeroImage = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
            INDArray oneImage = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1));
            for (int c = 0; c < channels; c++) {
                double bias = zeroImage.getDouble(c, 0, 0);
                assertEquals(bias, zeroImage.getDouble(c, 3, 2), 1e-6, "a constant image gives its bias everywhere");
                assertTrue(Math.abs(oneImage.getDouble(c, 1, 1) - bias) > 1e-4, "the weights act on the pixels");
            }
        }
    }

    @Test
    void aWrongOutputShapeIsRefusedWhenOpenedNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxTeacher(OnnxModels.identity(64), "identity.onnx", 64, HEAD));
        assertEquals("ONNX teacher identity.onnx: output shape [1, 3, 64, 64] does not match the students' grid: "
                + "expected [1, 27, 4, 4] (3 anchors x (5 + 4 classes) on a 4x4 grid for 64 px input)", e.getMessage());
    }

    @Test
    void bytesThatAreNotAModelAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxTeacher("not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8), "junk.onnx", 64,
                        HEAD));
        assertTrue(e.getMessage().startsWith("ONNX teacher junk.onnx: not a model ONNX Runtime can load"),
                e.getMessage());
    }
}
