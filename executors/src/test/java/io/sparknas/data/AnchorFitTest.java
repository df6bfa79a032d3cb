package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.Anchor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnchorFitTest {

    /** Boxes around three shapes, each side jittered by up to ±10 %. */
    private static List<double[]> threeClusters() {
        double[][] shapes = {{0.5, 1.0}, {2.0, 2.0}, {4.0, 2.0}};
        SplittableRandom random = new SplittableRandom(3);
        List<double[]> boxes = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double[] s = shapes[i % 3];
            boxes.add(new double[] {s[0] * random.nextDouble(0.9, 1.1), s[1] * random.nextDouble(0.9, 1.1)});
        }
        return boxes;
    }

    @Test
    void kMeansOnIouFindsTheShapesTheBoxesClusterAround() {
        AnchorFit.Result result = AnchorFit.fit(threeClusters(), 3, 42);
        List<Anchor> anchors = result.anchors();
        assertEquals(3, anchors.size());
        double[][] expected = {{0.5, 1.0}, {2.0, 2.0}, {4.0, 2.0}};
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i][0], anchors.get(i).width(), 0.05 * expected[i][0], anchors.toString());
            assertEquals(expected[i][1], anchors.get(i).height(), 0.05 * expected[i][1], anchors.toString());
        }
        assertTrue(result.meanBestIou() > 0.85, "tight clusters: " + result.meanBestIou());
        double squares = AnchorFit.meanBestIou(threeClusters(),
                List.of(new Anchor(0.8, 0.8), new Anchor(2, 2), new Anchor(4.5, 4.5)));
        assertTrue(result.meanBestIou() > squares + 0.1, result.meanBestIou() + " against squares " + squares);
        assertEquals(anchors, AnchorFit.fit(threeClusters(), 3, 42).anchors(), "same boxes and seed, same anchors");
    }

    @Test
    void boxesAreMeasuredInCellsOfTheGridAtTheInputSide() {
        RealObjectsDetectionSet set = new RealObjectsDetectionSet(new SyntheticSpec(160, 20, 1, 1, 7));
        List<DetectionImage> images = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            images.add(set.image(Split.TRAIN, i));
        }
        List<double[]> boxes = AnchorFit.boxesInCells(images, 128, 8);
        List<Double> widths = boxes.stream().map(b -> b[0]).sorted().toList();
        List<Double> expected = images.stream().flatMap(im -> im.objects().stream())
                .map(o -> o.box().width() * 0.8 / 16).sorted().toList();
        assertEquals(expected.size(), widths.size());
        for (int i = 0; i < widths.size(); i++) {
            assertEquals(expected.get(i), widths.get(i), 1e-9, "160 px letterboxed to 128, cells of 16 px");
        }
        assertThrows(IllegalArgumentException.class, () -> AnchorFit.fit(boxes.subList(0, 2), 3, 1));
    }
}
