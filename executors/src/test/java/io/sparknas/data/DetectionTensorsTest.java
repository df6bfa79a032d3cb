package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectionTensorsTest {

    private static DetectionImage image(int w, int h, List<LabeledObject> objects) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) (x < w / 2 ? 255 : 0);
            }
        }
        return new DetectionImage("t", w, h, rgb, objects);
    }

    @Test
    void letterboxKeepsAspectAndCentres() {
        DetectionImage wide = image(200, 100, List.of(new LabeledObject(0, new Box(0, 0, 100, 100))));
        DetectionTensors.Placement p = DetectionTensors.letterbox(wide, 100);
        assertEquals(0.5, p.scale());
        assertEquals(new Box(0, 25, 50, 75), p.map(new Box(0, 0, 100, 100)));
        float[] out = new float[3 * 100 * 100];
        DetectionTensors.pixels(wide, p, Augmentation.NONE, null, out, 0);
        assertEquals(DetectionTensors.PAD, out[5 * 100 + 10], 1e-6, "top band is padding");
        assertEquals(1.0f, out[50 * 100 + 10], 1e-6, "left half is red");
        assertEquals(0.0f, out[50 * 100 + 90], 1e-6, "right half is not");
    }

    @Test
    void flipMirrorsPixelsAndBoxesTogether() {
        DetectionImage square = image(100, 100, List.of(new LabeledObject(0, new Box(10, 20, 30, 40))));
        DetectionTensors.Placement flipped = new DetectionTensors.Placement(1, 0, 0, true, 100);
        assertEquals(new Box(70, 20, 90, 40), flipped.map(new Box(10, 20, 30, 40)));
        float[] out = new float[3 * 100 * 100];
        DetectionTensors.pixels(square, flipped, Augmentation.NONE, null, out, 0);
        assertEquals(0.0f, out[50 * 100 + 10], 1e-6);
        assertEquals(1.0f, out[50 * 100 + 90], 1e-6);
    }

    @Test
    void labelsGoToTheCentreCellAndTheBestFittingFreeAnchor() {
        int side = 64;
        int grid = 4;
        int classes = 3;
        List<double[]> anchors = List.of(new double[] {1, 1}, new double[] {2, 2});
        int stride = 5 + classes;
        int plane = grid * grid;
        float[] labels = new float[anchors.size() * stride * plane];
        // Both centred at (32, 48) -> cell x 2, y 3. The first (24 px = 1.5 cells) fits anchor 1 best (IoU 0.5625
        // against 0.444); the second (1 cell) fits anchor 0 best, which is free.
        List<LabeledObject> objects = List.of(new LabeledObject(2, new Box(20, 36, 44, 60)),
                new LabeledObject(1, new Box(24, 40, 40, 56)), new LabeledObject(0, new Box(26, 42, 38, 54)));
        int dropped = DetectionTensors.labels(objects, side, grid, anchors, classes, labels, 0);
        assertEquals(1, dropped, "the third object finds both anchors of its cell taken");
        int at = 3 * grid + 2;
        int a1 = stride * plane;
        assertEquals(0.0f, labels[a1 + at], 1e-6, "centre x 32 / 16 = 2.0: offset 0 in cell 2");
        assertEquals(0.0f, labels[a1 + plane + at], 1e-6);
        assertEquals((float) Math.log(1.5 / 2), labels[a1 + 2 * plane + at], 1e-6);
        assertEquals((float) Math.log(1.5 / 2), labels[a1 + 3 * plane + at], 1e-6);
        assertEquals(1f, labels[a1 + 4 * plane + at]);
        assertEquals(1f, labels[a1 + (5 + 2) * plane + at]);
        assertEquals(1f, labels[4 * plane + at], "the second object takes anchor 0");
        assertEquals(1f, labels[(5 + 1) * plane + at]);
        assertEquals((float) Math.log(1.0), labels[2 * plane + at], 1e-6);
        int ones = 0;
        for (float v : labels) {
            if (v == 1f) {
                ones++;
            }
        }
        assertEquals(4, ones, "two objectness and two class entries, nothing else");
    }

    @Test
    void augmentedPlacementsStayWithinTheirBounds() {
        DetectionImage square = image(100, 100, List.of());
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            DetectionTensors.Placement p = DetectionTensors.augmented(square, 100, Augmentation.DEFAULT, random);
            assertTrue(p.scale() >= 0.75 && p.scale() <= 1.25, "scale " + p.scale());
            double centre = p.offsetX() + 50 * p.scale();
            assertTrue(Math.abs(centre - 50) <= 10 + 1e-9, "shift " + centre);
        }
    }
}
