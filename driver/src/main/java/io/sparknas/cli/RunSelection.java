package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The {@code --run} and {@code --output} options of the commands that work on an existing run. */
public final class RunSelection {

    @Option(names = "--run", required = true, paramLabel = "RUN_ID", description = "The run.")
    String run;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder (default: run.output-dir).")
    String output;

    /** The run, checked to exist (its run.json) under the results folder. */
    ExistingRun find(SparkSession spark, SparkNasConfig config) {
        return ExistingRun.find(spark, run, output != null ? output : config.run().outputDir());
    }
}
