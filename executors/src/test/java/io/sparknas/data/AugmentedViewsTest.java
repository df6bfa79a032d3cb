package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Augmented views: fixed per (view, image) whatever the side, order or subset, cycled by epoch, and carrying the
 * teacher outputs of the same view of the same image.
 */
class AugmentedViewsTest {

    private static final List<DetectionImage> IMAGES = new SyntheticDetectionSet(new SyntheticSpec(96, 12, 2, 2, 3))
            .generate().train();
    private static final List<double[]> ANCHORS = List.of(new double[] {0.5, 0.5}, new double[] {1.5, 1.5});
    private static final int CLASSES = 4;
    private static final AugmentedViews VIEWS = new AugmentedViews(3, Augmentation.DEFAULT, 17);

    private static DetectionBatches batches(List<DetectionImage> images, int side, boolean shuffle,
                                            List<float[]> teacher) {
        return new DetectionBatches(images, side, 4, ANCHORS, CLASSES, 4, VIEWS, shuffle, 5, teacher);
    }

    private static float[] features(DetectionBatches batches, int epoch) {
        batches.startEpoch(epoch);
        List<Float> values = new ArrayList<>();
        for (int b = 0; b < batches.batchCount(); b++) {
            for (float v : batches.batch(b).getFeatures().data().asFloat()) {
                values.add(v);
            }
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static float[] labels(DetectionBatches batches, int epoch, int batch) {
        batches.startEpoch(epoch);
        return batches.batch(batch).getLabels().data().asFloat();
    }

    @Test
    void everyEpochShowsItsViewAndTheViewsDifferFromOneAnotherAndFromThePlainImages() {
        DetectionBatches batches = batches(IMAGES, 32, false, null);
        assertArrayEquals(features(batches, 1), features(batches, 4), "epoch 4 shows view 1 again (3 views)");
        assertArrayEquals(features(batches, 2), features(batches, 2 + 3 * 7));
        assertTrue(!Arrays.equals(features(batches, 0), features(batches, 1)), "views 0 and 1 differ");
        float[] plain = features(new DetectionBatches(IMAGES, 32, 4, ANCHORS, CLASSES, 4, Augmentation.NONE, false,
                5), 0);
        assertTrue(!Arrays.equals(plain, features(batches, 0)), "a view is augmented");
        assertEquals(1, VIEWS.viewOf(4));
        assertEquals(2, VIEWS.viewOf(-1));
    }

    @Test
    void aViewIsTheSameAtEverySideAndInAnySubsetOfTheImages() {
        for (int view = 0; view < 3; view++) {
            for (DetectionImage image : IMAGES) {
                DetectionTensors.Placement small = DetectionTensors.augmented(image, 32, VIEWS.augmentation(),
                        VIEWS.random(view, image));
                DetectionTensors.Placement large = DetectionTensors.augmented(image, 64, VIEWS.augmentation(),
                        VIEWS.random(view, image));
                String where = "view " + view + " of " + image.id() + " at 32 and 64 px";
                assertEquals(2 * small.scale(), large.scale(), 1e-9, where);
                assertEquals(2 * small.offsetX(), large.offsetX(), 1e-9, where);
                assertEquals(2 * small.offsetY(), large.offsetY(), 1e-9, where);
                assertEquals(small.flip(), large.flip(), where);
            }
        }
        DetectionBatches small = batches(IMAGES, 32, false, null);
        DetectionBatches subset = batches(IMAGES.subList(4, 8), 32, false, null);
        for (int epoch = 0; epoch < 3; epoch++) {
            assertArrayEquals(labels(small, epoch, 1), labels(subset, epoch, 0),
                    "images 4-7 alone are drawn as among all twelve");
            small.startEpoch(epoch);
            subset.startEpoch(epoch);
            assertArrayEquals(small.batch(1).getFeatures().data().asFloat(),
                    subset.batch(0).getFeatures().data().asFloat());
        }
    }

    @Test
    void eachImageCarriesTheTeacherOutputsOfItsViewWhateverTheShuffle() {
        int block = ANCHORS.size() * (5 + CLASSES) * 16;
        List<float[]> teacher = new ArrayList<>();
        for (int view = 0; view < 3; view++) {
            for (int i = 0; i < IMAGES.size(); i++) {
                float[] values = new float[block];
                Arrays.fill(values, view * 100 + i);
                teacher.add(values);
            }
        }
        DetectionBatches shuffled = batches(IMAGES, 32, true, teacher);
        DetectionBatches plain = batches(IMAGES, 32, true, null);
        for (int epoch = 1; epoch <= 4; epoch++) {
            shuffled.startEpoch(epoch);
            plain.startEpoch(epoch);
            for (int b = 0; b < shuffled.batchCount(); b++) {
                DataSet both = shuffled.batch(b);
                float[] truth = plain.batch(b).getLabels().data().asFloat();
                float[] labels = both.getLabels().data().asFloat();
                for (int n = 0; n < both.getFeatures().size(0); n++) {
                    float[] own = Arrays.copyOfRange(labels, n * 2 * block, n * 2 * block + block);
                    assertArrayEquals(Arrays.copyOfRange(truth, n * block, (n + 1) * block), own,
                            "the ground truth comes first");
                    float marker = labels[n * 2 * block + block];
                    assertEquals(VIEWS.viewOf(epoch), (int) marker / 100, "epoch " + epoch + " reads its view");
                    int image = (int) marker % 100;
                    float[] expected = Arrays.copyOfRange(truth, n * block, (n + 1) * block);
                    DetectionBatches alone = batches(IMAGES.subList(image, image + 1), 32, false, null);
                    assertArrayEquals(expected, labels(alone, epoch, 0), "the teacher outputs of the image shown");
                }
            }
        }
    }

    @Test
    void teacherOutputsForAnotherNumberOfViewsAreRefused() {
        int block = ANCHORS.size() * (5 + CLASSES) * 16;
        List<float[]> twoViews = new ArrayList<>();
        for (int k = 0; k < 2 * IMAGES.size(); k++) {
            twoViews.add(new float[block]);
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> batches(IMAGES, 32, true, twoViews));
        assertTrue(wrong.getMessage().contains("24 teacher outputs for 12 images in 3 views"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AugmentedViews(0, Augmentation.DEFAULT, 1));
    }
}
