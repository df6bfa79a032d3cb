package io.sparknas.export;

/**
 * The integer arithmetic of int8 kernels on a microcontroller (gemmlowp's, which TFLite Micro and CMSIS-NN use): a
 * real multiplier as a Q31 fixed-point number and a power-of-two shift, the rounding doubling high multiply, and the
 * rounding right shift. Written out here because it is what the C kernels of the code generator must reproduce bit
 * for bit (docs/benchmarks.md, issue 20), and no Java library computes it.
 */
public final class FixedPoint {

    private FixedPoint() {
    }

    /**
     * A positive real multiplier as {@code multiplier × 2^(shift − 31)}, multiplier in [2^30, 2^31) (Q31 in [0.5, 1)).
     *
     * @param multiplier the Q31 significand
     * @param shift      the power of two: positive shifts left, negative right
     */
    public record Multiplier(int multiplier, int shift) {

        /** The real value this stands for. */
        public double value() {
            return multiplier * Math.pow(2, shift - 31);
        }
    }

    /** The fixed-point form of {@code real} (positive). */
    public static Multiplier quantize(double real) {
        if (!(real > 0)) {
            throw new IllegalArgumentException("multiplier must be positive, got " + real);
        }
        int exponent = Math.getExponent(real) + 1;
        double significand = real / Math.pow(2, exponent);
        long q = Math.round(significand * (1L << 31));
        if (q == (1L << 31)) {
            q /= 2;
            exponent++;
        }
        return new Multiplier((int) q, exponent);
    }

    /** {@code round(a × b / 2^31)}, saturated (gemmlowp's SaturatingRoundingDoublingHighMul). */
    public static int roundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long product = (long) a * b;
        long nudge = product >= 0 ? (1L << 30) : 1 - (1L << 30);
        return (int) ((product + nudge) / (1L << 31));
    }

    /** {@code x / 2^exponent} rounded half away from zero (gemmlowp's RoundingDivideByPOT). */
    public static int roundingDivideByPowerOfTwo(int x, int exponent) {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** {@code x × multiplier}, rounded: the requantization of an int32 accumulator. */
    public static int multiply(int x, Multiplier multiplier) {
        int left = Math.max(multiplier.shift(), 0);
        int right = Math.max(-multiplier.shift(), 0);
        return roundingDivideByPowerOfTwo(roundingDoublingHighMul(x * (1 << left), multiplier.multiplier()), right);
    }
}
