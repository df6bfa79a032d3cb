package io.sparknas.eval;

import io.sparknas.space.Anchor;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decodes the activated output of DL4J's Yolo2OutputLayer ({@code [N, B·(5+C), G, G]}: per anchor x and y within
 * the cell after a sigmoid, w and h in cells after exp × prior, objectness after a sigmoid, class probabilities
 * after a softmax) into boxes in input pixels. A box's score is objectness × its best class probability.
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
                        double objectness = values[base + 4 * plane + at];
                        if (objectness < minScore) {
                            continue;
                        }
                        int best = 0;
                        double bestProbability = -1;
                        for (int c = 0; c < classes; c++) {
                            double p = values[base + (5 + c) * plane + at];
                            if (p > bestProbability) {
                                bestProbability = p;
                                best = c;
                            }
                        }
                        double score = objectness * bestProbability;
                        if (score < minScore) {
                            continue;
                        }
                        double cx = (gx + values[base + at]) * cell;
                        double cy = (gy + values[base + plane + at]) * cell;
                        double w = values[base + 2 * plane + at] * cell;
                        double h = values[base + 3 * plane + at] * cell;
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
