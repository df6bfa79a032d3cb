package io.sparknas.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknas.net.YoloLoss;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Detection loss plus distillation from a teacher's raw predictions on the same grid, for DL4J's
 * {@code CnnLossLayer}. The labels carry both targets side by side on the channel axis: the ground truth
 * ({@code A·(5+C)} channels, as {@link YoloLoss} reads them) and then the teacher's raw outputs (the same layout).
 *
 * <p>The terms follow the head, which trains objectness and every class as an independent sigmoid. Per anchor of
 * a cell, with σ the sigmoid, {@code T} the temperature and "the teacher sees an object" meaning
 * {@code σ(t_obj) > threshold}:
 * <ul>
 *   <li>classes, where the teacher sees an object: {@code T² · Σ_c KL(Bern(σ(t_c / T)) ‖ Bern(σ(s_c / T)))}, the
 *       binary cross-entropy against the teacher's softened probabilities less its entropy (so 0 at the teacher);
 *       background cells, where the teacher's class logits were never trained, give no class signal;</li>
 *   <li>objectness, on every cell: {@code KL(Bern(σ(t_obj)) ‖ Bern(σ(s_obj)))}, so the student also learns where
 *       the teacher sees nothing;</li>
 *   <li>boxes, where the teacher sees an object: {@code KL} of the Bernoulli offsets {@code σ(tx), σ(ty)} and the
 *       squared error of {@code tw, th}.</li>
 * </ul>
 * Each term has its own weight (0 turns it off); the loss is {@code detection + λ · distillation}. Gradients are in
 * closed form: {@code T·(σ(s/T) − σ(t/T))} per class, {@code σ(s) − σ(t)} for the Bernoulli terms, {@code 2(s − t)}
 * for the squared errors, each times its term's weight.
 */
public final class DistillationLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-7;

    private final YoloLoss detection;
    private final double weight;
    private final double temperature;
    private final double threshold;
    private final double classWeight;
    private final double objectnessWeight;
    private final double boxWeight;

    /** A loss with {@code settings}' λ, temperature, threshold and term weights. */
    public DistillationLoss(YoloLoss detection, DistillationSettings settings) {
        this(detection, settings.weight(), settings.temperature(), settings.threshold(), settings.classWeight(),
                settings.objectnessWeight(), settings.boxWeight());
    }

    /** Every term on with weight 1. */
    public DistillationLoss(YoloLoss detection, double weight, double temperature, double threshold) {
        this(detection, weight, temperature, threshold, 1, 1, 1);
    }

    /**
     * @param detection        the ground-truth detection loss
     * @param weight           λ, the weight of the distillation term
     * @param temperature      T, the softening of the class sigmoids
     * @param threshold        teacher objectness probability above which classes and boxes are imitated
     * @param classWeight      weight of the class term
     * @param objectnessWeight weight of the objectness term
     * @param boxWeight        weight of the box term
     */
    public DistillationLoss(@JsonProperty("detection") YoloLoss detection, @JsonProperty("weight") double weight,
                            @JsonProperty("temperature") double temperature,
                            @JsonProperty("threshold") double threshold,
                            @JsonProperty("classWeight") double classWeight,
                            @JsonProperty("objectnessWeight") double objectnessWeight,
                            @JsonProperty("boxWeight") double boxWeight) {
        new DistillationSettings(weight, temperature, threshold, classWeight, objectnessWeight, boxWeight);
        this.detection = detection;
        this.weight = weight;
        this.temperature = temperature;
        this.threshold = threshold;
        this.classWeight = classWeight;
        this.objectnessWeight = objectnessWeight;
        this.boxWeight = boxWeight;
    }

    @JsonProperty("detection")
    public YoloLoss getDetection() {
        return detection;
    }

    @JsonProperty("weight")
    public double getWeight() {
        return weight;
    }

    @JsonProperty("temperature")
    public double getTemperature() {
        return temperature;
    }

    @JsonProperty("threshold")
    public double getThreshold() {
        return threshold;
    }

    @JsonProperty("classWeight")
    public double getClassWeight() {
        return classWeight;
    }

    @JsonProperty("objectnessWeight")
    public double getObjectnessWeight() {
        return objectnessWeight;
    }

    @JsonProperty("boxWeight")
    public double getBoxWeight() {
        return boxWeight;
    }

    /** The ground-truth half of combined labels. */
    static INDArray groundTruth(INDArray labels, long width) {
        return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width));
    }

    /** The teacher half of combined labels. */
    static INDArray teacher(INDArray labels, long width) {
        return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double[] rows = scores(labels, preOutput, activationFn, mask);
        double sum = Arrays.stream(rows).sum();
        return average ? sum / rows.length : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] rows = scores(labels, preOutput, activationFn, mask);
        return Nd4j.create(rows, new long[] {rows.length, 1}).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return computeGradientAndScore(labels, preOutput, activationFn, mask, false).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        long width = requireCombined(labels, preOutput);
        INDArray gt = groundTruth(labels, width);
        INDArray gradient = detection.computeGradient(gt, preOutput, activationFn, mask);
        double[] rows = detection.computeScoreArray(gt, preOutput, activationFn, mask).data().asDouble();
        float[] kdGradient = new float[(int) preOutput.length()];
        double[] kd = distill(teacher(labels, width), preOutput, kdGradient);
        INDArray extra = Nd4j.create(kdGradient, preOutput.shape(), 'c').castTo(preOutput.dataType());
        gradient.addi(extra.muli(weight));
        double sum = 0;
        for (int r = 0; r < rows.length; r++) {
            sum += rows[r] + weight * kd[r];
        }
        return Pair.of(average ? sum / rows.length : sum, gradient);
    }

    /** The distillation term alone, per row (grid cell): 0 when the student equals the teacher. */
    public double[] distillation(INDArray teacherOutputs, INDArray studentOutputs) {
        return distill(teacherOutputs, studentOutputs, null);
    }

    /** The gradient of the distillation term alone (without λ) with respect to the student's raw outputs. */
    public INDArray distillationGradient(INDArray teacherOutputs, INDArray studentOutputs) {
        float[] gradient = new float[(int) studentOutputs.length()];
        distill(teacherOutputs, studentOutputs, gradient);
        return Nd4j.create(gradient, studentOutputs.shape(), 'c');
    }

    private double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        long width = requireCombined(labels, preOutput);
        double[] rows = detection.computeScoreArray(groundTruth(labels, width), preOutput, activationFn, mask)
                .data().asDouble();
        double[] kd = distill(teacher(labels, width), preOutput, null);
        for (int r = 0; r < rows.length; r++) {
            rows[r] += weight * kd[r];
        }
        return rows;
    }

    private double[] distill(INDArray teacherOutputs, INDArray studentOutputs, float[] gradient) {
        float[] t = teacherOutputs.dup('c').data().asFloat();
        float[] s = studentOutputs.dup('c').data().asFloat();
        int width = (int) studentOutputs.size(1);
        int rows = (int) studentOutputs.size(0);
        int stride = 5 + detection.getClasses();
        int anchors = width / stride;
        int classes = detection.getClasses();
        double[] scores = new double[rows];
        for (int r = 0; r < rows; r++) {
            double score = 0;
            for (int a = 0; a < anchors; a++) {
                int base = r * width + a * stride;
                double teacherObject = sigmoid(t[base + 4]);
                if (objectnessWeight > 0) {
                    score += objectnessWeight * bernoulliKl(teacherObject, sigmoid(s[base + 4]));
                    if (gradient != null) {
                        gradient[base + 4] = (float) (objectnessWeight * (sigmoid(s[base + 4]) - teacherObject));
                    }
                }
                if (!(teacherObject > threshold)) {
                    continue;
                }
                if (classWeight > 0) {
                    for (int c = 0; c < classes; c++) {
                        double pt = sigmoid(t[base + 5 + c] / temperature);
                        double ps = sigmoid(s[base + 5 + c] / temperature);
                        score += classWeight * temperature * temperature * bernoulliKl(pt, ps);
                        if (gradient != null) {
                            gradient[base + 5 + c] = (float) (classWeight * temperature * (ps - pt));
                        }
                    }
                }
                if (boxWeight > 0) {
                    for (int k : new int[] {0, 1}) {
                        score += boxWeight * bernoulliKl(sigmoid(t[base + k]), sigmoid(s[base + k]));
                        if (gradient != null) {
                            gradient[base + k] = (float) (boxWeight * (sigmoid(s[base + k]) - sigmoid(t[base + k])));
                        }
                    }
                    for (int k : new int[] {2, 3}) {
                        double d = s[base + k] - t[base + k];
                        score += boxWeight * d * d;
                        if (gradient != null) {
                            gradient[base + k] = (float) (boxWeight * 2 * d);
                        }
                    }
                }
            }
            scores[r] = score;
        }
        return scores;
    }

    private static double bernoulliKl(double p, double q) {
        return p * (Math.log(p + EPS) - Math.log(q + EPS)) + (1 - p) * (Math.log(1 - p + EPS) - Math.log(1 - q + EPS));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static long requireCombined(INDArray labels, INDArray preOutput) {
        long width = preOutput.size(1);
        if (labels.size(1) != 2 * width) {
            throw new IllegalArgumentException("distillation labels need ground truth and teacher outputs side by "
                    + "side: " + 2 * width + " columns, got " + labels.size(1));
        }
        return width;
    }

    @Override
    public String name() {
        return "DistillationLoss(lambda=" + weight + ", T=" + temperature + ", threshold=" + threshold + ", class "
                + classWeight + ", objectness " + objectnessWeight + ", box " + boxWeight + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
