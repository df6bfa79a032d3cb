package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.Box;
import io.sparknas.eval.Detection;
import io.sparknas.eval.YoloDecoder;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.TestSpaces;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Horizontal-flip averaging of a teacher: the mapping back from a mirrored prediction, and what averaging gives. */
class FlipAveragedTeacherTest {

    private static final HeadSpec HEAD = TestSpaces.standard().head();
    private static final int SIDE = 64;

    @Test
    void aPredictionMappedBackFromTheMirrorDecodesToTheMirroredBoxes() {
        int grid = SIDE / HEAD.outputStride();
        Nd4j.getRandom().setSeed(3);
        INDArray prediction = Nd4j.randn(DataType.FLOAT, 2, HEAD.predictionChannels(), grid, grid);
        FlipAveragedTeacher averaged = new FlipAveragedTeacher(null, HEAD.classes());
        YoloDecoder decoder = new YoloDecoder(HEAD.anchors(), HEAD.classes(), 0.05, 1000);
        List<Detection> direct = decoder.decode(prediction, SIDE, 0, 1.0);
        List<Detection> back = decoder.decode(averaged.unmirror(prediction), SIDE, 0, 1.0);
        assertTrue(direct.size() > 20, "enough boxes to compare: " + direct.size());
        assertEquals(direct.size(), back.size());
        List<Detection> mirrored = direct.stream().map(d -> new Detection(d.image(), d.classId(), d.score(),
                new Box(SIDE - d.box().x2(), d.box().y1(), SIDE - d.box().x1(), d.box().y2()))).toList();
        Comparator<Detection> order = Comparator.comparingInt(Detection::image).thenComparingInt(Detection::classId)
                .thenComparingDouble(Detection::score).thenComparingDouble(d -> d.box().x1())
                .thenComparingDouble(d -> d.box().y1());
        List<Detection> expected = mirrored.stream().sorted(order).toList();
        List<Detection> actual = back.stream().sorted(order).toList();
        for (int i = 0; i < expected.size(); i++) {
            Box e = expected.get(i).box();
            Box a = actual.get(i).box();
            assertEquals(expected.get(i).classId(), actual.get(i).classId());
            assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-6);
            assertEquals(e.x1(), a.x1(), 1e-3, "box " + i);
            assertEquals(e.x2(), a.x2(), 1e-3, "box " + i);
            assertEquals(e.y1(), a.y1(), 1e-3, "box " + i);
            assertEquals(e.y2(), a.y2(), 1e-3, "box " + i);
        }
        assertEquals(prediction, averaged.unmirror(averaged.unmirror(prediction)), "mapping back twice is the identity");
    }

    @Test
    void theAveragedTeacherSeesAMirroredImageAsTheMirrorOfWhatItSees() {
        TeacherSpec spec = new TeacherSpec(16, 1, 2, 2, true);
        FlipAveragedTeacher averaged = new FlipAveragedTeacher(new NetworkTeacher(VitTeacherBuilder.build(SIDE, HEAD,
                spec, 4, new Adam(1e-3), 0), "tiny"), HEAD.classes());
        NetworkTeacher plain = new NetworkTeacher(VitTeacherBuilder.build(SIDE, HEAD, spec, 4, new Adam(1e-3), 0),
                "tiny");
        Nd4j.getRandom().setSeed(5);
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 3, SIDE, SIDE);
        INDArray seen = averaged.predict(images);
        INDArray seenMirrored = averaged.predict(FlipAveragedTeacher.mirror(images));
        double gap = averaged.unmirror(seenMirrored).sub(seen).amax().maxNumber().doubleValue();
        assertTrue(gap < 1e-4, "exactly mirror-equivariant, up to float rounding: " + gap);
        double plainGap = new FlipAveragedTeacher(null, HEAD.classes()).unmirror(plain.predict(
                FlipAveragedTeacher.mirror(images))).sub(plain.predict(images)).amax().maxNumber().doubleValue();
        assertTrue(plainGap > 100 * gap, "the teacher alone is not (" + plainGap + ")");
        assertTrue(averaged.describe().endsWith("averaged with its mirror image"));
        assertEquals(FlipAveragedTeacher.mirror(FlipAveragedTeacher.mirror(images)), images);
    }
}
