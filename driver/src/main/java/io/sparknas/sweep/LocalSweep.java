package io.sparknas.sweep;

import io.sparknas.results.CandidateTable;
import io.sparknas.results.FinalModelsTable;
import io.sparknas.results.GenerationCommit;
import io.sparknas.results.PopulationTable;
import io.sparknas.results.RunManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Runs a sweep's searches one after another in this Spark application, into one results folder. A point whose run
 * is finished is skipped and an unfinished one (a {@code run.json}, not every generation or final model) is resumed,
 * so a sweep that crashed, or a retried scheduled sweep, can simply be run again.
 */
public final class LocalSweep {

    /** Runs {@code sparknas} with the given arguments in-process and returns its exit status. */
    @FunctionalInterface
    public interface SearchRunner {
        int run(List<String> arguments);
    }

    private final SparkSession spark;
    private final SearchRunner runner;
    private final PrintWriter out;

    public LocalSweep(SparkSession spark, SearchRunner runner, PrintWriter out) {
        this.spark = spark;
        this.runner = runner;
        this.out = out;
    }

    /** Runs every planned point, printing one progress line each, and returns the outcomes in order. */
    public List<PointOutcome> run(List<PlannedRun> plan) {
        List<PointOutcome> outcomes = new ArrayList<>();
        double secondsRun = 0;
        int pointsRun = 0;
        for (int i = 0; i < plan.size(); i++) {
            PlannedRun planned = plan.get(i);
            String position = "[" + (i + 1) + "/" + plan.size() + "] " + planned.point().runId();
            boolean exists = RunManifest.exists(spark, planned.runDir());
            if (exists && finished(planned)) {
                outcomes.add(new PointOutcome(planned.point(), PointOutcome.Status.SKIPPED, 0, 0,
                        bestFeasibleMap(planned.runDir())));
                out.printf("%s: skipped, finished in %s%n", position, planned.runDir());
                out.flush();
                continue;
            }
            if (exists) {
                out.printf("%s: resuming the unfinished run in %s%n", position, planned.runDir());
                out.flush();
            }
            long start = System.nanoTime();
            int status = runner.run(exists ? planned.resumeArguments() : planned.arguments());
            double seconds = (System.nanoTime() - start) / 1e9;
            secondsRun += seconds;
            pointsRun++;
            PointOutcome outcome = status == 0
                    ? new PointOutcome(planned.point(), exists ? PointOutcome.Status.RESUMED : PointOutcome.Status.OK,
                            0, seconds, bestFeasibleMap(planned.runDir()))
                    : new PointOutcome(planned.point(), PointOutcome.Status.FAILED, status, seconds,
                            OptionalDouble.empty());
            outcomes.add(outcome);
            double eta = secondsRun / pointsRun * (plan.size() - i - 1);
            out.printf(Locale.ROOT, "%s: %s in %.1f s, ETA %.0f s%n", position, outcome.describe(), seconds, eta);
            out.flush();
        }
        return outcomes;
    }

    /** The summary table: run id, target, latency budget, seed, status, best feasible val mAP@0.5. */
    public static void printSummary(PrintWriter out, List<PointOutcome> outcomes) {
        int idWidth = outcomes.stream().mapToInt(o -> o.point().runId().length()).max().orElse(6);
        int targetWidth = outcomes.stream().mapToInt(o -> o.point().target().length()).max().orElse(6);
        String row = "%-" + idWidth + "s  %-" + targetWidth + "s  %10s  %6s  %-16s  %s%n";
        out.printf(Locale.ROOT, row, "run id", "target", "latency", "seed", "status", "best feasible val mAP@0.5");
        for (PointOutcome outcome : outcomes) {
            SweepPoint point = outcome.point();
            out.printf(Locale.ROOT, row, point.runId(), point.target(),
                    point.latencyMs() == 0 ? "none" : point.latencyText() + " ms", point.seed(), outcome.describe(),
                    outcome.bestMap().isPresent() ? String.format(Locale.ROOT, "%.4f", outcome.bestMap().getAsDouble())
                            : "-");
        }
        out.flush();
    }

    /**
     * Whether a run holds all it will: every generation committed, and its final models when the search finalizes
     * (a run without a feasible candidate never gets any, and resuming it again costs no more than reading it).
     */
    private boolean finished(PlannedRun planned) {
        List<Integer> generations = GenerationCommit.generations(spark, planned.runDir() + "/" + PopulationTable.FOLDER);
        boolean searched = !generations.isEmpty() && generations.get(generations.size() - 1) >= planned.generations();
        return searched && (!planned.finalizes() || exists(planned.runDir() + "/" + FinalModelsTable.FOLDER));
    }

    private boolean exists(String dir) {
        Path path = new Path(dir);
        try {
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    private OptionalDouble bestFeasibleMap(String runDir) {
        String candidates = runDir + "/" + CandidateTable.FOLDER;
        if (!exists(candidates)) {
            return OptionalDouble.empty();
        }
        Row best = spark.read().parquet(candidates).filter(functions.col("feasible"))
                .agg(functions.max("map50")).first();
        return best.isNullAt(0) ? OptionalDouble.empty() : OptionalDouble.of(best.getDouble(0));
    }
}
