package io.sparknas.train;

/**
 * How a student learns from its teacher ({@link DistillationLoss}).
 *
 * @param weight           λ: weight of the distillation term against the detection loss
 * @param temperature      T: softening of the per-class sigmoids
 * @param threshold        teacher objectness probability above which it "sees an object" at an anchor: only there
 *                         are its class probabilities and boxes imitated
 * @param classWeight      weight of the per-class term (binary cross-entropy against the teacher's sigmoid
 *                         probabilities, as a divergence) at the anchors where the teacher sees an object; 0 off
 * @param objectnessWeight weight of the objectness imitation on every cell and anchor; 0 off
 * @param boxWeight        weight of the box imitation where the teacher sees an object; 0 off
 */
public record DistillationSettings(double weight, double temperature, double threshold, double classWeight,
                                   double objectnessWeight, double boxWeight) implements java.io.Serializable {

    /** Every term on with weight 1. */
    public DistillationSettings(double weight, double temperature, double threshold) {
        this(weight, temperature, threshold, 1, 1, 1);
    }

    public DistillationSettings {
        if (weight < 0 || !(temperature > 0) || threshold < 0 || threshold > 1) {
            throw new IllegalArgumentException("distillation needs weight >= 0, temperature > 0 and a threshold in "
                    + "[0, 1]; got " + weight + ", " + temperature + ", " + threshold);
        }
        if (classWeight < 0 || objectnessWeight < 0 || boxWeight < 0) {
            throw new IllegalArgumentException("distillation term weights must be >= 0; got class " + classWeight
                    + ", objectness " + objectnessWeight + ", box " + boxWeight);
        }
    }
}
