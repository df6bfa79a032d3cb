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
    void eachObjectTakesItsCentreCellAndTwoNeighboursWithEveryFittingAnchor() {
        int side = 64;
        int grid = 4;
        int classes = 3;
        List<double[]> anchors = List.of(new double[] {1, 1}, new double[] {2, 2});
        int stride = 5 + classes;
        int plane = grid * grid;
        float[] labels = new float[anchors.size() * stride * plane];
        // A and B centred at (32, 48): cell (2, 3), exactly on its top-left corner, so the nearer neighbours are
        // (1, 3) and (2, 2). A (1.5 cells) fits both anchors (ratios 1.5 and 1.33, under 4): six slots. B comes
        // second and finds all six taken. C (0.25 cells, in the top-left corner) fits no anchor within 4x, so it
        // gets the best-shaped one (anchor 0) in its own cell only: both neighbours lie outside the grid.
        List<LabeledObject> objects = List.of(new LabeledObject(2, new Box(20, 36, 44, 60)),
                new LabeledObject(1, new Box(24, 40, 40, 56)), new LabeledObject(0, new Box(0, 0, 4, 4)));
        int dropped = DetectionTensors.labels(objects, side, grid, anchors, classes, labels, 0);
        assertEquals(1, dropped, "B finds every slot taken by the larger A");
        int[][] cellsOfA = {{2, 3, 0, 0}, {1, 3, 1, 0}, {2, 2, 0, 1}};
        for (int[] c : cellsOfA) {
            int at = c[1] * grid + c[0];
            for (int a = 0; a < 2; a++) {
                int base = a * stride * plane;
                String where = "cell " + c[0] + "," + c[1] + " anchor " + a;
                assertEquals(c[2] == 0 ? 0.25f : 0.75f, labels[base + at], 1e-6, where + ": x offset 0 or 1 mapped");
                assertEquals(c[3] == 0 ? 0.25f : 0.75f, labels[base + plane + at], 1e-6, where);
                assertEquals((float) Math.log(1.5 / anchors.get(a)[0]), labels[base + 2 * plane + at], 1e-6, where);
                assertEquals(1f, labels[base + 4 * plane + at], where);
                assertEquals(1f, labels[base + (5 + 2) * plane + at], where + ": A's class");
            }
        }
        assertEquals((0.125f + 0.5f) / 2, labels[0], 1e-6, "C: centre 0.125 cells into cell (0, 0)");
        assertEquals((float) Math.log(0.25), labels[2 * plane], 1e-6);
        assertEquals(1f, labels[4 * plane]);
        assertEquals(1f, labels[5 * plane], "C's class 0");
        assertEquals(0f, labels[stride * plane + 4 * plane], "C leaves anchor 1 of its cell alone");
        int ones = 0;
        for (float v : labels) {
            if (v == 1f) {
                ones++;
            }
        }
        assertEquals(14, ones, "seven objectness and seven class entries, nothing else");
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
