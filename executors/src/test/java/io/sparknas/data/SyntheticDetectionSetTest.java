package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticDetectionSetTest {

    private final SyntheticSpec spec = new SyntheticSpec(128, 200, 20, 20, 5);
    private final DetectionDataset dataset = new SyntheticDetectionSet(spec).generate();

    @Test
    void splitsHaveTheConfiguredSizesAndDistinctImages() {
        assertEquals(200, dataset.train().size());
        assertEquals(20, dataset.val().size());
        assertEquals(20, dataset.test().size());
        assertFalse(Arrays.equals(dataset.train().get(0).rgb(), dataset.val().get(0).rgb()));
        assertEquals("train-000007", dataset.train().get(7).id());
    }

    @Test
    void generationIsDeterministicPerSeedAndIndex() {
        SyntheticDetectionSet again = new SyntheticDetectionSet(spec);
        DetectionImage a = dataset.train().get(13);
        DetectionImage b = again.image(Split.TRAIN, 13);
        assertArrayEquals(a.rgb(), b.rgb());
        assertEquals(a.objects(), b.objects());
        DetectionImage other = new SyntheticDetectionSet(new SyntheticSpec(128, 200, 20, 20, 6)).image(Split.TRAIN, 13);
        assertFalse(Arrays.equals(a.rgb(), other.rgb()), "another seed, another image");
    }

    @Test
    void objectsFollowTheSpecification() {
        int[] perClass = new int[4];
        int small = 0;
        int total = 0;
        for (DetectionImage image : dataset.train()) {
            assertTrue(image.objects().size() >= 1 && image.objects().size() <= 6, image.id());
            for (LabeledObject object : image.objects()) {
                perClass[object.classId()]++;
                double side = Math.sqrt(object.box().area()) / 128;
                assertTrue(side >= 0.04 && side <= 0.66, image.id() + " side " + side);
                assertTrue(object.box().x1() >= 0 && object.box().x2() <= 128 && object.box().y2() <= 128);
                if (side < 0.15) {
                    small++;
                }
                total++;
            }
        }
        for (int count : perClass) {
            assertTrue(count > total / 8, "every class is common: " + Arrays.toString(perClass));
        }
        assertTrue(small > total / 4, "small objects are common: " + small + " of " + total);
    }

    @Test
    void objectsAreDrawnWhereTheirBoxesAre() {
        // The centre of an unoccluded object differs from the image mean colour far more than random points do.
        DetectionImage image = dataset.train().get(0);
        LabeledObject last = image.objects().get(image.objects().size() - 1);
        int cx = (int) ((last.box().x1() + last.box().x2()) / 2);
        int cy = (int) ((last.box().y1() + last.box().y2()) / 2);
        double saturation = saturation(image, cx, cy);
        assertTrue(saturation > 0.25, "objects are vivid: " + saturation);
    }

    @Test
    void contactSheetHasTheRequestedSize() {
        var sheet = ContactSheet.draw(dataset.train(), SyntheticDetectionSet.CLASSES, 4, 2, 100);
        assertEquals(400, sheet.getWidth());
        assertEquals(200, sheet.getHeight());
        assertEquals(List.of("disc", "box", "triangle", "cross"), dataset.classes());
    }

    private static double saturation(DetectionImage image, int x, int y) {
        int r = image.pixel(x, y, 0);
        int g = image.pixel(x, y, 1);
        int b = image.pixel(x, y, 2);
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        return max == 0 ? 0 : (max - min) / (double) max;
    }
}
