package io.sparknas.sweep;

import java.util.OptionalDouble;

/**
 * What became of one sweep point: {@link Status#OK}, {@link Status#RESUMED} (an unfinished run of it was continued
 * to the end), {@link Status#SKIPPED} (its run was already finished) or {@link Status#FAILED} with the search's exit
 * status; the best feasible val mAP@0.5 of its candidates when known.
 */
public record PointOutcome(SweepPoint point, Status status, int exitStatus, double seconds, OptionalDouble bestMap) {

    /** How a point ended. */
    public enum Status { OK, RESUMED, SKIPPED, FAILED }

    /** The status as the summary shows it. */
    public String describe() {
        return switch (status) {
            case OK -> "ok";
            case RESUMED -> "ok (resumed)";
            case SKIPPED -> "skipped";
            case FAILED -> "failed (exit " + exitStatus + ")";
        };
    }
}
