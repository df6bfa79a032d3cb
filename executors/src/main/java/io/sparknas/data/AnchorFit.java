package io.sparknas.data;

import io.sparknas.space.Anchor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Anchor priors fitted to a dataset's boxes by k-means with the distance {@code 1 − IoU} of centred boxes, as YOLOv2
 * chose its priors (Redmon and Farhadi 2017, section 2): squared error on sides would let the large boxes decide. The
 * boxes are taken at one input side and grid, in cells, as the head sees them ({@link #boxesInCells}); seeding is
 * k-means++ from a fixed seed, so the same boxes give the same anchors.
 */
public final class AnchorFit {

    private static final int ITERATIONS = 100;

    private AnchorFit() {
    }

    /**
     * The fitted anchors and how well they cover the boxes.
     *
     * @param anchors     the anchors, smallest area first
     * @param meanBestIou the mean over boxes of the IoU with the best-fitting anchor
     */
    public record Result(List<Anchor> anchors, double meanBestIou) {

        public Result {
            anchors = List.copyOf(anchors);
        }
    }

    /** The (width, height) of every object of {@code images} letterboxed to {@code side}, in cells of the grid. */
    public static List<double[]> boxesInCells(List<DetectionImage> images, int side, int grid) {
        double cell = (double) side / grid;
        List<double[]> boxes = new ArrayList<>();
        for (DetectionImage image : images) {
            for (LabeledObject object : DetectionTensors.objects(image, DetectionTensors.letterbox(image, side))) {
                boxes.add(new double[] {object.box().width() / cell, object.box().height() / cell});
            }
        }
        return boxes;
    }

    /** {@code k} anchors fitted to {@code boxes} ((width, height) pairs, any unit). */
    public static Result fit(List<double[]> boxes, int k, long seed) {
        if (k < 1 || boxes.size() < k) {
            throw new IllegalArgumentException("need at least " + k + " boxes to fit " + k + " anchors, got "
                    + boxes.size());
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> centres = new ArrayList<>();
        centres.add(boxes.get(random.nextInt(boxes.size())).clone());
        while (centres.size() < k) {
            double[] weights = new double[boxes.size()];
            double total = 0;
            for (int i = 0; i < boxes.size(); i++) {
                double d = 1 - bestIou(boxes.get(i), centres);
                weights[i] = d * d;
                total += weights[i];
            }
            double pick = random.nextDouble() * total;
            int chosen = 0;
            while (chosen < boxes.size() - 1 && pick > weights[chosen]) {
                pick -= weights[chosen];
                chosen++;
            }
            centres.add(boxes.get(chosen).clone());
        }
        int[] assignment = new int[boxes.size()];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            boolean changed = false;
            for (int i = 0; i < boxes.size(); i++) {
                int nearest = nearest(boxes.get(i), centres);
                changed |= nearest != assignment[i];
                assignment[i] = nearest;
            }
            double[][] sums = new double[k][3];
            for (int i = 0; i < boxes.size(); i++) {
                sums[assignment[i]][0] += boxes.get(i)[0];
                sums[assignment[i]][1] += boxes.get(i)[1];
                sums[assignment[i]][2]++;
            }
            for (int c = 0; c < k; c++) {
                if (sums[c][2] > 0) {
                    centres.set(c, new double[] {sums[c][0] / sums[c][2], sums[c][1] / sums[c][2]});
                }
            }
            if (!changed && iteration > 0) {
                break;
            }
        }
        List<Anchor> anchors = centres.stream().sorted(Comparator.comparingDouble(c -> c[0] * c[1]))
                .map(c -> new Anchor(round(c[0]), round(c[1]))).toList();
        return new Result(anchors, meanBestIou(boxes, anchors));
    }

    /** Mean over {@code boxes} of the IoU with the best-fitting of {@code anchors} (centred boxes). */
    public static double meanBestIou(List<double[]> boxes, List<Anchor> anchors) {
        List<double[]> pairs = anchors.stream().map(a -> new double[] {a.width(), a.height()}).toList();
        return boxes.stream().mapToDouble(b -> bestIou(b, pairs)).average().orElse(0);
    }

    private static int nearest(double[] box, List<double[]> centres) {
        int best = 0;
        double bestIou = -1;
        for (int c = 0; c < centres.size(); c++) {
            double iou = iou(box, centres.get(c));
            if (iou > bestIou) {
                bestIou = iou;
                best = c;
            }
        }
        return best;
    }

    private static double bestIou(double[] box, List<double[]> centres) {
        double best = 0;
        for (double[] c : centres) {
            best = Math.max(best, iou(box, c));
        }
        return best;
    }

    private static double iou(double[] a, double[] b) {
        double inter = Math.min(a[0], b[0]) * Math.min(a[1], b[1]);
        return inter / (a[0] * a[1] + b[0] * b[1] - inter);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
