package io.sparknas.export;

/**
 * The range an activation tensor is quantized over, and its int8 parameters: asymmetric, {@code real = scale ×
 * (q − zeroPoint)} with q in [−128, 127], the range widened to include 0 so that zero (padding, ReLU's floor) is
 * exact.
 *
 * @param low  the smallest real value represented
 * @param high the largest real value represented
 */
public record ActivationRange(double low, double high) {

    public ActivationRange {
        if (!(high >= low)) {
            throw new IllegalArgumentException("range [" + low + ", " + high + "] is empty");
        }
    }

    /** The scale: the real step between two int8 levels. */
    public double scale() {
        double lo = Math.min(low, 0);
        double hi = Math.max(high, 0);
        return hi - lo < 1e-12 ? 1e-12 : (hi - lo) / 255.0;
    }

    /** The int8 level of real zero. */
    public int zeroPoint() {
        double lo = Math.min(low, 0);
        return (int) Math.max(-128, Math.min(127, Math.round(-128 - lo / scale())));
    }
}
