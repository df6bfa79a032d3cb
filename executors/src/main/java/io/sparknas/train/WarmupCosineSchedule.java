package io.sparknas.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate with a linear warm-up from 0 to {@code base} over {@code warmupIterations}, then a cosine decay to
 * {@code base × finalFraction} at {@code totalIterations}. DL4J has step, exponential and cycle schedules but no
 * warm-up cosine; this one is Jackson-serializable like DL4J's own, so it survives a model save and load.
 */
public final class WarmupCosineSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double base;
    private final int warmupIterations;
    private final int totalIterations;
    private final double finalFraction;

    public WarmupCosineSchedule(@JsonProperty("base") double base,
                                @JsonProperty("warmupIterations") int warmupIterations,
                                @JsonProperty("totalIterations") int totalIterations,
                                @JsonProperty("finalFraction") double finalFraction) {
        if (!(base > 0) || warmupIterations < 0 || totalIterations < 1 || finalFraction < 0 || finalFraction > 1) {
            throw new IllegalArgumentException("bad schedule: base " + base + ", warm-up " + warmupIterations
                    + ", total " + totalIterations + ", final fraction " + finalFraction);
        }
        this.base = base;
        this.warmupIterations = warmupIterations;
        this.totalIterations = totalIterations;
        this.finalFraction = finalFraction;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupIterations) {
            return base * (iteration + 1) / (warmupIterations + 1);
        }
        int span = Math.max(1, totalIterations - warmupIterations);
        double progress = Math.min(1.0, (double) (iteration - warmupIterations) / span);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return base * (finalFraction + (1 - finalFraction) * cosine);
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosineSchedule(base, warmupIterations, totalIterations, finalFraction);
    }

    /**
     * Equal by value, as DL4J's own schedules are: DL4J groups layers into one updater block (one slice of the
     * updater state) only when their updaters are equal, so a schedule equal by identity only groups the layers of a
     * network built in this JVM differently from the same network restored from a file, and the restored updater
     * state is then read in the wrong order (VitTeacherBuilderTest).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof WarmupCosineSchedule that && base == that.base
                && warmupIterations == that.warmupIterations && totalIterations == that.totalIterations
                && finalFraction == that.finalFraction;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(base, warmupIterations, totalIterations, finalFraction);
    }

    @JsonProperty("base")
    public double getBase() {
        return base;
    }

    @JsonProperty("warmupIterations")
    public int getWarmupIterations() {
        return warmupIterations;
    }

    @JsonProperty("totalIterations")
    public int getTotalIterations() {
        return totalIterations;
    }

    @JsonProperty("finalFraction")
    public double getFinalFraction() {
        return finalFraction;
    }
}
