package io.sparknas.bench;

/**
 * Kendall's rank correlation τ-b between two paired lists of values: +1 when both order every pair the same way,
 * −1 when they order every pair oppositely, 0 when there is no relation. τ-b corrects for ties, which matter here
 * because several weak detectors can share an mAP of exactly 0.
 *
 * <p>τ-b = Σ sign(xᵢ − xⱼ)·sign(yᵢ − yⱼ) / √(pairs untied in x × pairs untied in y), over all pairs i &lt; j.
 * The O(n²) pair loop is plenty for the tens of architectures a benchmark scores.
 */
public final class KendallTau {

    private KendallTau() {
    }

    /** τ-b of {@code x} and {@code y}; NaN when either list is constant (every pair tied). */
    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired lists differ in length: " + x.length + " and " + y.length);
        }
        long concordanceSum = 0;
        long untiedX = 0;
        long untiedY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int sx = sign(x[i] - x[j]);
                int sy = sign(y[i] - y[j]);
                concordanceSum += sx * sy;
                untiedX += sx != 0 ? 1 : 0;
                untiedY += sy != 0 ? 1 : 0;
            }
        }
        if (untiedX == 0 || untiedY == 0) {
            return Double.NaN;
        }
        return concordanceSum / Math.sqrt((double) untiedX * untiedY);
    }

    private static int sign(double difference) {
        return difference > 0 ? 1 : difference < 0 ? -1 : 0;
    }
}
