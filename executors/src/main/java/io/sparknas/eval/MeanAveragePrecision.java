package io.sparknas.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection mean average precision.
 *
 * <p>{@link #voc} is Pascal VOC's metric (2010 onward): per class, detections sorted by score are matched greedily
 * to unmatched ground truth of the same image at IoU ≥ the threshold (a second detection of a matched object is a
 * false positive); AP is the area under the precision-recall curve with precision made monotone
 * (all-point interpolation); mAP is the mean over classes that have ground truth. {@link #coco} averages that
 * over the IoU thresholds 0.50, 0.55, …, 0.95, as COCO's mAP@[.5:.95] does (with all-point rather than
 * 101-point interpolation). A class with ground truth but no detections has AP 0; detections of a class with no
 * ground truth are ignored, as in both benchmarks.
 */
public final class MeanAveragePrecision {

    private MeanAveragePrecision() {
    }

    /** VOC mAP at {@code iouThreshold} (0.5 for mAP@0.5). */
    public static double voc(List<Detection> detections, List<GroundTruth> truths, int classes, double iouThreshold) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            double ap = averagePrecision(detections, truths, c, iouThreshold);
            if (!Double.isNaN(ap)) {
                sum += ap;
                counted++;
            }
        }
        return counted == 0 ? 0.0 : sum / counted;
    }

    /** COCO-style mAP@[.5:.95]. */
    public static double coco(List<Detection> detections, List<GroundTruth> truths, int classes) {
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += voc(detections, truths, classes, 0.5 + 0.05 * i);
        }
        return sum / 10;
    }

    /** AP of one class; NaN when the class has no (non-difficult) ground truth. */
    public static double averagePrecision(List<Detection> detections, List<GroundTruth> truths, int classId,
                                          double iouThreshold) {
        Map<Integer, List<GroundTruth>> byImage = new HashMap<>();
        int positives = 0;
        for (GroundTruth truth : truths) {
            if (truth.classId() == classId) {
                byImage.computeIfAbsent(truth.image(), k -> new ArrayList<>()).add(truth);
                if (!truth.difficult()) {
                    positives++;
                }
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        List<Detection> ofClass = new ArrayList<>();
        for (Detection detection : detections) {
            if (detection.classId() == classId) {
                ofClass.add(detection);
            }
        }
        ofClass.sort(Comparator.comparingDouble(Detection::score).reversed());
        Map<GroundTruth, Boolean> matched = new java.util.IdentityHashMap<>();
        double[] tp = new double[ofClass.size()];
        double[] fp = new double[ofClass.size()];
        int n = 0;
        for (Detection detection : ofClass) {
            GroundTruth best = null;
            double bestIou = -1;
            for (GroundTruth truth : byImage.getOrDefault(detection.image(), List.of())) {
                double iou = detection.box().iou(truth.box());
                if (iou > bestIou) {
                    bestIou = iou;
                    best = truth;
                }
            }
            if (best != null && bestIou >= iouThreshold) {
                if (best.difficult()) {
                    continue;
                }
                if (matched.putIfAbsent(best, Boolean.TRUE) == null) {
                    tp[n] = 1;
                } else {
                    fp[n] = 1;
                }
            } else {
                fp[n] = 1;
            }
            n++;
        }
        double[] recall = new double[n];
        double[] precision = new double[n];
        double cumTp = 0;
        double cumFp = 0;
        for (int i = 0; i < n; i++) {
            cumTp += tp[i];
            cumFp += fp[i];
            recall[i] = cumTp / positives;
            precision[i] = cumTp / (cumTp + cumFp);
        }
        return allPointArea(recall, precision);
    }

    /** Area under the precision envelope (precision made non-increasing from the right). */
    static double allPointArea(double[] recall, double[] precision) {
        int n = recall.length;
        double[] envelope = precision.clone();
        for (int i = n - 2; i >= 0; i--) {
            envelope[i] = Math.max(envelope[i], envelope[i + 1]);
        }
        double area = 0;
        double previousRecall = 0;
        for (int i = 0; i < n; i++) {
            area += (recall[i] - previousRecall) * envelope[i];
            previousRecall = recall[i];
        }
        return area;
    }
}
