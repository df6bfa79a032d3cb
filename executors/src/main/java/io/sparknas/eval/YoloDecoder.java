package io.sparknas.eval;

import io.sparknas.data.Box;
import io.sparknas.space.Anchor;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decodes the raw output of the YOLO head ({@code [N, A·(5+C), G, G]}) into boxes in input pixels, as
 * {@link io.sparknas.net.YoloLoss} defines it: centre = cell corner + 2·sigmoid(tx, ty) − 0.5 (so a
 * neighbouring cell can hold it), size = anchor × exp(tw, th),
 * objectness and class probabilities by sigmoid. A box's score is objectness × its best class probability.
 */
public final class YoloDecoder {

    private final List<Anchor> anchors;
    private final int classes;
    private final double minScore;
    private final int maxPerImage;

    /**
     * @param minScore    boxes scoring below this are not returned (a low value keeps the whole PR curve)
     * @param maxPerImage at most this many boxes per image, best first (after NMS)
     */
    public YoloDecoder(List<Anchor> anchors, int classes, double minScore, int maxPerImage) {
        this.anchors = List.copyOf(anchors);
        this.classes = classes;
        this.minScore = minScore;
        this.maxPerImage = maxPerImage;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Detections of every image of a batch, after class-wise NMS.
     *
     * @param output     the network output
     * @param side       input side in pixels
     * @param firstImage the image index of the batch's first image
     * @param nmsIou     IoU above which a lower-scoring box of the same class is suppressed
     */
    public List<Detection> decode(INDArray output, int side, int firstImage, double nmsIou) {
        int n = (int) output.size(0);
        int grid = (int) output.size(2);
        int boxes = anchors.size();
        int stride = 5 + classes;
        double cell = (double) side / grid;
        float[] values = output.dup('c').data().asFloat();
        int plane = grid * grid;
        int perImage = boxes * stride * plane;
        List<Detection> all = new ArrayList<>();
        for (int img = 0; img < n; img++) {
            List<Detection> found = new ArrayList<>();
            for (int b = 0; b < boxes; b++) {
                int base = img * perImage + b * stride * plane;
                for (int gy = 0; gy < grid; gy++) {
                    for (int gx = 0; gx < grid; gx++) {
                        int at = gy * grid + gx;
                        double objectness = sigmoid(values[base + 4 * plane + at]);
                        if (objectness < minScore) {
                            continue;
                        }
                        int best = 0;
                        double bestProbability = -1;
                        for (int c = 0; c < classes; c++) {
                            double p = sigmoid(values[base + (5 + c) * plane + at]);
                            if (p > bestProbability) {
                                bestProbability = p;
                                best = c;
                            }
                        }
                        double score = objectness * bestProbability;
                        if (score < minScore) {
                            continue;
                        }
                        double cx = (gx + 2 * sigmoid(values[base + at]) - 0.5) * cell;
                        double cy = (gy + 2 * sigmoid(values[base + plane + at]) - 0.5) * cell;
                        Anchor anchor = anchors.get(b);
                        double w = Math.exp(Math.min(10, values[base + 2 * plane + at])) * anchor.width() * cell;
                        double h = Math.exp(Math.min(10, values[base + 3 * plane + at])) * anchor.height() * cell;
                        Box box = new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2).clip(side, side);
                        found.add(new Detection(firstImage + img, best, score, box));
                    }
                }
            }
            List<Detection> kept = NonMaxSuppression.apply(found, nmsIou);
            all.addAll(kept.subList(0, Math.min(maxPerImage, kept.size())));
        }
        return all;
    }
}
