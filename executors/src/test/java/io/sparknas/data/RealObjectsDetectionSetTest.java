package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealObjectsDetectionSetTest {

    private static final int SIZE = 96;
    private static final SyntheticSpec SPEC = new SyntheticSpec(SIZE, 120, 6, 6, 5);
    private static final DetectionDataset DATASET = new RealObjectsDetectionSet(SPEC).generate();

    @Test
    void generationIsDeterministicPerSeed() {
        DetectionDataset again = new RealObjectsDetectionSet(SPEC).generate();
        for (Split split : Split.values()) {
            for (int i = 0; i < DATASET.split(split).size(); i++) {
                DetectionImage a = DATASET.split(split).get(i);
                DetectionImage b = again.split(split).get(i);
                assertEquals(a.id(), b.id());
                assertArrayEquals(a.rgb(), b.rgb(), a.id());
                assertEquals(a.objects(), b.objects(), a.id());
            }
        }
        DetectionImage other = new RealObjectsDetectionSet(new SyntheticSpec(SIZE, 120, 6, 6, 6)).image(Split.TRAIN, 0);
        assertFalse(Arrays.equals(DATASET.train().get(0).rgb(), other.rgb()), "another seed, another image");
        assertFalse(Arrays.equals(DATASET.train().get(0).rgb(), DATASET.val().get(0).rgb()), "another split, another image");
        assertEquals(RealObjectsDetectionSet.CLASSES, DATASET.classes());
    }

    @Test
    void everyBoxIsTightAroundTheInkOfItsObject() {
        RealObjectsDetectionSet set = new RealObjectsDetectionSet(SPEC);
        int checked = 0;
        for (int index = 0; index < 40; index++) {
            RealObjectsDetectionSet.Scene scene = set.scene(Split.TRAIN, index);
            DetectionImage image = scene.image();
            assertArrayEquals(DATASET.train().get(index).rgb(), image.rgb(), "the scene is the image");
            assertEquals(image.objects().size(), scene.inks().size());
            for (int k = 0; k < image.objects().size(); k++) {
                RealObjectsDetectionSet.Ink ink = scene.inks().get(k);
                int x1 = SIZE;
                int y1 = SIZE;
                int x2 = 0;
                int y2 = 0;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        if (ink.at(x, y) > 0) {
                            x1 = Math.min(x1, x);
                            y1 = Math.min(y1, y);
                            x2 = Math.max(x2, x + 1);
                            y2 = Math.max(y2, y + 1);
                        }
                    }
                }
                Box box = image.objects().get(k).box();
                String what = image.id() + " object " + k + " " + box;
                assertEquals(new Box(x1, y1, x2, y2), box, what + ": ink touches every edge of its box, none outside");
                assertTrue(box.x1() >= 0 && box.y1() >= 0 && box.x2() <= SIZE && box.y2() <= SIZE, what);
                checked++;
            }
        }
        assertTrue(checked > 60, "enough objects checked: " + checked);
    }

    @Test
    void sizesRangeFromTinyToLargeAndAspectRatiosVary() {
        double minSide = 1;
        double maxSide = 0;
        double minAspect = Double.MAX_VALUE;
        double maxAspect = 0;
        int small = 0;
        int total = 0;
        for (DetectionImage image : DATASET.train()) {
            assertTrue(image.objects().size() >= 1 && image.objects().size() <= 7, image.id());
            for (LabeledObject object : image.objects()) {
                Box box = object.box();
                double side = Math.sqrt(box.area()) / SIZE;
                double aspect = box.width() / box.height();
                assertTrue(side >= 0.04 && side <= 0.65, image.id() + " side " + side);
                assertTrue(aspect >= 0.3 && aspect <= 3.0, image.id() + " aspect " + aspect);
                minSide = Math.min(minSide, side);
                maxSide = Math.max(maxSide, side);
                minAspect = Math.min(minAspect, aspect);
                maxAspect = Math.max(maxAspect, aspect);
                small += side < 0.15 ? 1 : 0;
                total++;
            }
        }
        assertTrue(total > 300, "a few hundred objects: " + total);
        assertTrue(minSide < 0.1 && maxSide > 0.45, "sides from tiny to large: " + minSide + " … " + maxSide);
        assertTrue(minAspect < 0.5 && maxAspect > 2.0, "aspect ratios " + minAspect + " … " + maxAspect);
        assertTrue(small > total / 5, "small objects are common: " + small + " of " + total);
    }

    @Test
    void classesAreRoughlyBalanced() {
        int[] perClass = new int[RealObjectsDetectionSet.CLASSES.size()];
        int total = 0;
        for (DetectionImage image : DATASET.train()) {
            for (LabeledObject object : image.objects()) {
                perClass[object.classId()]++;
                total++;
            }
        }
        double mean = (double) total / perClass.length;
        for (int count : perClass) {
            assertTrue(count > 0.5 * mean && count < 1.5 * mean, "per class " + Arrays.toString(perClass));
        }
    }

    @Test
    void objectsOverlapButALaterOneHidesAtMostHalfOfAnEarlierOne() {
        int overlapping = 0;
        for (DetectionImage image : DATASET.train()) {
            List<LabeledObject> objects = image.objects();
            for (int later = 1; later < objects.size(); later++) {
                for (int earlier = 0; earlier < later; earlier++) {
                    Box a = objects.get(earlier).box();
                    Box b = objects.get(later).box();
                    double covered = a.iou(b) == 0 ? 0 : intersection(a, b);
                    assertTrue(covered <= RealObjectsDetectionSet.MAX_HIDDEN * a.area() + 1e-9,
                            image.id() + ": object " + later + " hides " + covered / a.area() + " of " + earlier);
                    overlapping += covered > 0 ? 1 : 0;
                }
            }
        }
        assertTrue(overlapping > 10, "overlaps occur: " + overlapping);
    }

    private static double intersection(Box a, Box b) {
        return (Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1())) * (Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
    }
}
