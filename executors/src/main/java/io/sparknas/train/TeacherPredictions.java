package io.sparknas.train;

import io.sparknas.data.Augmentation;
import io.sparknas.data.AugmentedViews;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.HeadSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A teacher's raw outputs for training images, one flattened {@code [A·(5+C), G, G]} array per image, on exactly
 * the input the students see (the image letterboxed to their side, or each of its augmented views). Computed once
 * and shared by every student.
 */
public final class TeacherPredictions {

    private TeacherPredictions() {
    }

    /** The teacher's outputs for {@code images}, in order, computed in batches of {@code batchSize}. */
    public static List<float[]> compute(DetectionTeacher teacher, List<DetectionImage> images, int side,
                                        HeadSpec head, int batchSize) {
        int grid = side / head.outputStride();
        DetectionBatches batches = new DetectionBatches(images, side, grid, DetectorEvaluator.anchorPairs(head),
                head.classes(), batchSize, Augmentation.NONE, false, 0);
        List<float[]> outputs = new ArrayList<>(images.size());
        addOutputs(teacher, batches, head, grid, outputs);
        return outputs;
    }

    /**
     * The teacher's outputs for every augmented view of {@code images}, view-major (view {@code v} of image
     * {@code i} at {@code v·N + i}), on exactly the inputs {@link DetectionBatches} over the same views shows the
     * students.
     */
    public static List<float[]> compute(DetectionTeacher teacher, List<DetectionImage> images, int side,
                                        HeadSpec head, int batchSize, AugmentedViews views) {
        int grid = side / head.outputStride();
        DetectionBatches batches = new DetectionBatches(images, side, grid, DetectorEvaluator.anchorPairs(head),
                head.classes(), batchSize, views, false, 0, null);
        List<float[]> outputs = new ArrayList<>(views.count() * images.size());
        for (int view = 0; view < views.count(); view++) {
            batches.startEpoch(view);
            addOutputs(teacher, batches, head, grid, outputs);
        }
        return outputs;
    }

    private static void addOutputs(DetectionTeacher teacher, DetectionBatches batches, HeadSpec head, int grid,
                                   List<float[]> outputs) {
        for (int b = 0; b < batches.batchCount(); b++) {
            INDArray predictions = teacher.predict(batches.batch(b).getFeatures());
            long expected = (long) head.predictionChannels() * grid * grid;
            for (int i = 0; i < predictions.size(0); i++) {
                INDArray one = predictions.get(NDArrayIndex.point(i));
                if (one.length() != expected) {
                    throw new IllegalStateException(teacher.describe() + " gave " + one.length() + " outputs per "
                            + "image, the students' grid needs " + expected);
                }
                outputs.add(one.dup('c').data().asFloat());
            }
        }
    }
}
