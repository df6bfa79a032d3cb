package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.run.Run;
import io.sparknas.run.RunIds;
import io.sparknas.run.RunNotFoundException;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The {@code --run} and {@code --output} options of the commands that work on an existing run. */
public final class RunSelection {

    @Option(names = "--run", required = true, paramLabel = "RUN_ID", description = "The run.")
    String run;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder (default: run.output-dir).")
    String output;

    /**
     * Opens the run, checked to exist (its run.json) under the results folder, or stops with one message saying
     * which folder was looked in.
     */
    Run open(SparkSession spark, SparkNasConfig config, Consumer<String> progress) {
        try {
            RunIds.validate(run);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--run: " + e.getMessage(), e);
        }
        try {
            return Run.open(spark, output != null ? output : config.run().outputDir(), run, config, progress);
        } catch (RunNotFoundException e) {
            throw new UserInputException("--run " + run + ": " + e.getMessage()
                    + " (is --output or run.output-dir the folder the run was written to?)", e);
        }
    }
}
