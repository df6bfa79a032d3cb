package io.sparknas.train;

/**
 * How a student learns from its teacher ({@link DistillationLoss}).
 *
 * @param weight      λ: weight of the distillation term against the detection loss
 * @param temperature T: softening of the class distributions
 * @param threshold   teacher objectness probability above which its boxes and objectness are imitated
 */
public record DistillationSettings(double weight, double temperature, double threshold)
        implements java.io.Serializable {

    public DistillationSettings {
        if (weight < 0 || !(temperature > 0) || threshold < 0 || threshold > 1) {
            throw new IllegalArgumentException("distillation needs weight >= 0, temperature > 0 and a threshold in "
                    + "[0, 1]; got " + weight + ", " + temperature + ", " + threshold);
        }
    }
}
