package io.sparknas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.HeadSpec;
import io.sparknas.space.TestSpaces;
import io.sparknas.train.DetectionTeacher;
import io.sparknas.train.FlipAveragedTeacher;
import io.sparknas.train.NetworkTeacher;
import io.sparknas.train.TeacherSpec;
import io.sparknas.train.VitTeacherBuilder;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** A teacher as it crosses to the executors opens as itself, or averaged with its mirror image when so marked. */
class TeacherArtifactTest {

    @Test
    void aFlipAveragedArtifactOpensAsTheTeacherAveragedWithItsMirrorImage() {
        HeadSpec head = TestSpaces.standard().head();
        int side = 64;
        byte[] model = NetworkTeacher.toBytes(VitTeacherBuilder.build(side, head, new TeacherSpec(16, 1, 2, 2, true),
                4, new Adam(1e-3), 0));
        TeacherArtifact plain = new TeacherArtifact("dl4j", model, "tiny", side, head);
        assertFalse(plain.flipAveraged());
        Nd4j.getRandom().setSeed(8);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, side, side);
        try (DetectionTeacher alone = plain.open(); DetectionTeacher averaged = plain.withFlipAveraged(true).open();
             DetectionTeacher byHand = new FlipAveragedTeacher(NetworkTeacher.fromBytes(model, "tiny"),
                     head.classes())) {
            assertFalse(alone instanceof FlipAveragedTeacher);
            assertTrue(averaged instanceof FlipAveragedTeacher);
            assertEquals(byHand.predict(images), averaged.predict(images));
            assertNotEquals(alone.predict(images), averaged.predict(images));
            assertEquals("tiny, averaged with its mirror image", averaged.describe());
        }
    }
}
