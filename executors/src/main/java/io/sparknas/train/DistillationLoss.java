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
 * <p>Per anchor, with σ the sigmoid and {@code T} the temperature, the distillation term is
 * <ul>
 *   <li>class distributions: {@code T² · KL(softmax(t_cls / T) ‖ softmax(s_cls / T))} on every cell and anchor
 *       (Hinton et al.; {@code T²} keeps the gradient's scale independent of {@code T});</li>
 *   <li>where the teacher is confident ({@code σ(t_obj) > threshold}): objectness imitation
 *       {@code KL(Bern(σ(t_obj)) ‖ Bern(σ(s_obj)))}, and box imitation, {@code KL} of the Bernoulli offsets
 *       {@code σ(tx), σ(ty)} and squared error of {@code tw, th}.</li>
 * </ul>
 * Each term is a divergence, so the term is exactly 0 when the student's outputs equal the teacher's. The loss is
 * {@code detection + λ · distillation}. Gradients are in closed form: {@code T·(p_s − p_t)} for the softened
 * classes, {@code σ(s) − σ(t)} for the Bernoulli terms, {@code 2(s − t)} for the squared errors.
 */
public final class DistillationLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-7;

    private final YoloLoss detection;
    private final double weight;
    private final double temperature;
    private final double threshold;

    /**
     * @param detection   the ground-truth detection loss
     * @param weight      λ, the weight of the distillation term
     * @param temperature T, the softening of the class distributions
     * @param threshold   teacher objectness probability above which boxes and objectness are imitated
     */
    public DistillationLoss(@JsonProperty("detection") YoloLoss detection, @JsonProperty("weight") double weight,
                            @JsonProperty("temperature") double temperature,
                            @JsonProperty("threshold") double threshold) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        this.detection = detection;
        this.weight = weight;
        this.temperature = temperature;
        this.threshold = threshold;
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
        double[] pt = new double[classes];
        double[] ps = new double[classes];
        double[] scores = new double[rows];
        for (int r = 0; r < rows; r++) {
            double score = 0;
            for (int a = 0; a < anchors; a++) {
                int base = r * width + a * stride;
                softmax(t, base + 5, classes, pt);
                softmax(s, base + 5, classes, ps);
                double kl = 0;
                for (int c = 0; c < classes; c++) {
                    kl += pt[c] * (Math.log(pt[c] + EPS) - Math.log(ps[c] + EPS));
                    if (gradient != null) {
                        gradient[base + 5 + c] = (float) (temperature * (ps[c] - pt[c]));
                    }
                }
                score += temperature * temperature * kl;
                double confidence = sigmoid(t[base + 4]);
                if (confidence > threshold) {
                    for (int k : new int[] {0, 1, 4}) {
                        score += bernoulliKl(sigmoid(t[base + k]), sigmoid(s[base + k]));
                        if (gradient != null) {
                            gradient[base + k] = (float) (sigmoid(s[base + k]) - sigmoid(t[base + k]));
                        }
                    }
                    for (int k : new int[] {2, 3}) {
                        double d = s[base + k] - t[base + k];
                        score += d * d;
                        if (gradient != null) {
                            gradient[base + k] = (float) (2 * d);
                        }
                    }
                }
            }
            scores[r] = score;
        }
        return scores;
    }

    private void softmax(float[] logits, int from, int count, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < count; c++) {
            max = Math.max(max, logits[from + c] / temperature);
        }
        double sum = 0;
        for (int c = 0; c < count; c++) {
            out[c] = Math.exp(logits[from + c] / temperature - max);
            sum += out[c];
        }
        for (int c = 0; c < count; c++) {
            out[c] /= sum;
        }
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
        return "DistillationLoss(lambda=" + weight + ", T=" + temperature + ", threshold=" + threshold + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
