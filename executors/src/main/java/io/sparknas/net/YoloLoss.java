package io.sparknas.net;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The detection loss of SparkNAS's YOLO head (YOLOv3-style, one scale), used through DL4J's {@code CnnLossLayer}.
 *
 * <p>Why not DL4J's {@code Yolo2OutputLayer}: its YOLOv2 loss picks the responsible anchor by the IoU of the
 * <em>predicted</em> boxes and regresses objectness toward that IoU, so at the start of training (random boxes,
 * IoU near 0) objectness has almost nothing to learn from. On the default synthetic set a 13.6 MMAC detector
 * reached only 0.009 val mAP@0.5 after 14,000 images with it, and could not overfit 32 images (0.27 mAP after 100
 * epochs). Here the responsible anchor is fixed from the labels (best anchor-shape IoU, chosen when the labels
 * are built), so every loss term has a stable target from the first step.
 *
 * <p>Per anchor the raw outputs are {@code tx, ty, tw, th, obj, class...}; the labels have the same layout
 * ({@link io.sparknas.data.DetectionTensors#labels}): the centre offsets mapped to [0, 1] (the decoded centre is the
 * cell's corner plus {@code 2σ(t) − 0.5}), log size ratios to the anchor, 1 in {@code obj} for each responsible
 * anchor (several per object: its centre cell and the two nearest neighbours, every anchor of a fitting shape),
 * one-hot classes. Terms, summed over the batch:
 * <ul>
 *   <li>responsible anchors: binary cross-entropy of sigmoid(tx, ty) against the mapped offsets and squared error
 *       of (tw, th), both weighted by {@code box × (2 − w·h / G²)} (small boxes count more); binary cross-entropy
 *       of sigmoid(obj) against 1 and of sigmoid(class) against the one-hot class;</li>
 *   <li>other anchors: {@code noObject ×} binary cross-entropy of sigmoid(obj) against 0.</li>
 * </ul>
 * Gradients are written out in closed form (sigmoid cross-entropy: σ − t; squared error: 2(p − t)).
 */
public final class YoloLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-7;

    private final double[] anchorWidths;
    private final double[] anchorHeights;
    private final int anchors;
    private final int classes;
    private final double box;
    private final double noObject;
    private final int gridCells;

    /**
     * @param anchorWidths  anchor widths in cells
     * @param anchorHeights anchor heights in cells
     * @param classes       object classes
     * @param box           weight of the box terms
     * @param noObject      weight of the objectness term of anchors without an object
     * @param gridCells     cells of the prediction grid (G²), for the small-box weight
     */
    public YoloLoss(@JsonProperty("anchorWidths") double[] anchorWidths,
                    @JsonProperty("anchorHeights") double[] anchorHeights, @JsonProperty("classes") int classes,
                    @JsonProperty("box") double box, @JsonProperty("noObject") double noObject,
                    @JsonProperty("gridCells") int gridCells) {
        if (anchorWidths.length != anchorHeights.length || anchorWidths.length == 0) {
            throw new IllegalArgumentException("need as many anchor widths as heights, at least one");
        }
        this.anchorWidths = anchorWidths.clone();
        this.anchorHeights = anchorHeights.clone();
        this.anchors = anchorWidths.length;
        this.classes = classes;
        this.box = box;
        this.noObject = noObject;
        this.gridCells = gridCells;
    }

    /** Values per anchor: 4 box terms, objectness, classes. */
    private int stride() {
        return 5 + classes;
    }

    @JsonProperty("anchorWidths")
    public double[] getAnchorWidths() {
        return anchorWidths.clone();
    }

    @JsonProperty("anchorHeights")
    public double[] getAnchorHeights() {
        return anchorHeights.clone();
    }

    @JsonProperty("classes")
    public int getClasses() {
        return classes;
    }

    @JsonProperty("box")
    public double getBox() {
        return box;
    }

    @JsonProperty("noObject")
    public double getNoObject() {
        return noObject;
    }

    @JsonProperty("gridCells")
    public int getGridCells() {
        return gridCells;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double[] perRow = evaluate(labels, preOutput, null);
        double sum = Arrays.stream(perRow).sum();
        return average ? sum / perRow.length : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] perRow = evaluate(labels, preOutput, null);
        return Nd4j.create(perRow, new long[] {perRow.length, 1}).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireIdentity(activationFn);
        float[] gradient = new float[(int) preOutput.length()];
        evaluate(labels, preOutput, gradient);
        return Nd4j.create(gradient, preOutput.shape(), 'c').castTo(preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        requireIdentity(activationFn);
        float[] gradient = new float[(int) preOutput.length()];
        double[] perRow = evaluate(labels, preOutput, gradient);
        double sum = Arrays.stream(perRow).sum();
        return Pair.of(average ? sum / perRow.length : sum,
                Nd4j.create(gradient, preOutput.shape(), 'c').castTo(preOutput.dataType()));
    }

    /**
     * One pass over every anchor of every row: returns the loss per row and, when {@code gradient} is not null,
     * writes the gradient with respect to the raw outputs into it.
     */
    private double[] evaluate(INDArray labels, INDArray preOutput, float[] gradient) {
        float[] p = preOutput.dup('c').data().asFloat();
        float[] t = labels.dup('c').data().asFloat();
        int width = (int) preOutput.size(1);
        int rows = (int) preOutput.size(0);
        double[] scores = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int a = 0; a < anchors; a++) {
                int base = r * width + a * stride();
                if (t[base + 4] > 0.5f) {
                    double weight = box * smallBoxWeight(t, base, a);
                    s += weight * (bce(p[base], t[base]) + bce(p[base + 1], t[base + 1]));
                    s += weight * (square(p[base + 2] - t[base + 2]) + square(p[base + 3] - t[base + 3]));
                    s += bce(p[base + 4], 1);
                    for (int c = 0; c < classes; c++) {
                        s += bce(p[base + 5 + c], t[base + 5 + c]);
                    }
                    if (gradient != null) {
                        gradient[base] = (float) (weight * (sigmoid(p[base]) - t[base]));
                        gradient[base + 1] = (float) (weight * (sigmoid(p[base + 1]) - t[base + 1]));
                        gradient[base + 2] = (float) (weight * 2 * (p[base + 2] - t[base + 2]));
                        gradient[base + 3] = (float) (weight * 2 * (p[base + 3] - t[base + 3]));
                        gradient[base + 4] = (float) (sigmoid(p[base + 4]) - 1);
                        for (int c = 0; c < classes; c++) {
                            gradient[base + 5 + c] = (float) (sigmoid(p[base + 5 + c]) - t[base + 5 + c]);
                        }
                    }
                } else {
                    s += noObject * bce(p[base + 4], 0);
                    if (gradient != null) {
                        gradient[base + 4] = (float) (noObject * sigmoid(p[base + 4]));
                    }
                }
            }
            scores[r] = s;
        }
        return scores;
    }

    /** 2 − (box area / grid area), the box size recovered from the label's log ratios to the anchor. */
    private double smallBoxWeight(float[] t, int base, int anchor) {
        double area = Math.exp(t[base + 2]) * anchorWidths[anchor] * Math.exp(t[base + 3]) * anchorHeights[anchor];
        return 2 - Math.min(1, area / gridCells);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double bce(double logit, double target) {
        double s = sigmoid(logit);
        return -(target * Math.log(s + EPS) + (1 - target) * Math.log(1 - s + EPS));
    }

    private static double square(double x) {
        return x * x;
    }

    private static void requireIdentity(IActivation activation) {
        if (!(activation instanceof ActivationIdentity)) {
            throw new IllegalStateException("YoloLoss applies its own sigmoids; the layer activation must be identity");
        }
    }

    @Override
    public String name() {
        return "YoloLoss(anchors=" + anchors + ", classes=" + classes + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
