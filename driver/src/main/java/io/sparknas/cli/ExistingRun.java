package io.sparknas.cli;

import io.sparknas.results.RunIds;
import io.sparknas.results.RunManifest;
import org.apache.spark.sql.SparkSession;

/**
 * A run named with {@code --run} that must already exist: its id checked, its folder under the results folder,
 * and its {@code run.json} present, or one message saying which folder was looked in.
 *
 * @param runId  the run's id
 * @param runDir its folder
 */
record ExistingRun(String runId, String runDir) {

    /** Finds the run {@code run} under {@code outputDir}. */
    static ExistingRun find(SparkSession spark, String run, String outputDir) {
        String runId;
        try {
            runId = RunIds.validate(run);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--run: " + e.getMessage(), e);
        }
        String runDir = outputDir + "/" + runId;
        if (!RunManifest.exists(spark, runDir)) {
            throw new UserInputException("--run " + runId + ": no " + RunManifest.FILE + " in " + runDir
                    + " (is --output or run.output-dir the folder the run was written to?)");
        }
        return new ExistingRun(runId, runDir);
    }
}
