package io.sparknas.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class-wise greedy non-maximum suppression: within each class of each image, keep the highest-scoring box and
 * drop every other box that overlaps a kept one by more than the IoU threshold.
 */
public final class NonMaxSuppression {

    private NonMaxSuppression() {
    }

    /** The kept detections, highest score first. */
    public static List<Detection> apply(List<Detection> detections, double iouThreshold) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : sorted) {
            boolean suppressed = false;
            for (Detection keeper : kept) {
                if (keeper.image() == candidate.image() && keeper.classId() == candidate.classId()
                        && keeper.box().iou(candidate.box()) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
