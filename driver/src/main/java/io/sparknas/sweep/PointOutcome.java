package io.sparknas.sweep;

import java.util.OptionalDouble;

/**
 * What became of one sweep point: {@link Status#OK}, {@link Status#SKIPPED} (its run already existed) or
 * {@link Status#FAILED} with the search's exit status; the best feasible val mAP@0.5 of its candidates when known.
 */
public record PointOutcome(SweepPoint point, Status status, int exitStatus, double seconds, OptionalDouble bestMap) {

    /** How a point ended. */
    public enum Status { OK, SKIPPED, FAILED }

    /** The status as the summary shows it. */
    public String describe() {
        return switch (status) {
            case OK -> "ok";
            case SKIPPED -> "skipped";
            case FAILED -> "failed (exit " + exitStatus + ")";
        };
    }
}
