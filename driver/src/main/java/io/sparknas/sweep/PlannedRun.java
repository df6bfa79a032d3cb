package io.sparknas.sweep;

import io.sparknas.config.SparkNasConfig;
import java.util.List;

/**
 * A sweep point made concrete from one parsed command line: the {@code sparknas} arguments (for dry runs and
 * manifests), the configuration they gave, the results folder its run is written to, and how to run it.
 *
 * @param point     the point
 * @param arguments the {@code sparknas} command line of a new run of the point
 * @param outputDir the results folder
 * @param config    the configuration the command line gives
 * @param launch    runs the parsed command (null when the plan is only emitted, never run here)
 */
public record PlannedRun(SweepPoint point, List<String> arguments, String outputDir, SparkNasConfig config,
                         Launch launch) {

    /** Runs a planned point's parsed search: a new run, or the continuation of its unfinished run. */
    @FunctionalInterface
    public interface Launch {
        /** Runs it and returns the exit status. */
        int run(boolean resume);
    }

    public PlannedRun {
        arguments = List.copyOf(arguments);
    }
}
