package io.sparknas.sweep;

import io.sparknas.results.CandidateTable;
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
 * Runs a sweep's searches one after another on this machine, into one results folder. A point whose run already
 * has a {@code run.json} is skipped, so a sweep that crashed can simply be run again.
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
            if (RunManifest.exists(spark, planned.runDir())) {
                outcomes.add(new PointOutcome(planned.point(), PointOutcome.Status.SKIPPED, 0, 0,
                        bestFeasibleMap(planned.runDir())));
                out.printf("%s: skipped, %s/%s exists (an unfinished run continues with 'sparknas search --resume "
                        + "%s')%n", position, planned.runDir(), RunManifest.FILE, planned.point().runId());
                out.flush();
                continue;
            }
            long start = System.nanoTime();
            int status = runner.run(planned.arguments());
            double seconds = (System.nanoTime() - start) / 1e9;
            secondsRun += seconds;
            pointsRun++;
            PointOutcome outcome = status == 0
                    ? new PointOutcome(planned.point(), PointOutcome.Status.OK, 0, seconds,
                            bestFeasibleMap(planned.runDir()))
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

    private OptionalDouble bestFeasibleMap(String runDir) {
        Path candidates = new Path(runDir, CandidateTable.FOLDER);
        try {
            if (!candidates.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(candidates)) {
                return OptionalDouble.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + candidates, e);
        }
        Row best = spark.read().parquet(candidates.toString()).filter(functions.col("feasible"))
                .agg(functions.max("map50")).first();
        return best.isNullAt(0) ? OptionalDouble.empty() : OptionalDouble.of(best.getDouble(0));
    }
}
