package io.sparknas.sweep;

import io.sparknas.run.CandidateRow;
import io.sparknas.run.Run;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a sweep's searches one after another in this Spark application, into one results folder. A point whose run
 * is finished is skipped and an unfinished one (a {@code run.json}, not every generation or final model) is resumed,
 * so a sweep that crashed, or a retried scheduled sweep, can simply be run again.
 */
public final class LocalSweep {

    private final SparkSession spark;
    private final PrintWriter out;

    public LocalSweep(SparkSession spark, PrintWriter out) {
        this.spark = spark;
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
            String folder = Run.folder(planned.outputDir(), planned.point().runId());
            boolean exists = Run.exists(spark, planned.outputDir(), planned.point().runId());
            if (exists && finished(open(planned))) {
                outcomes.add(new PointOutcome(planned.point(), PointOutcome.Status.SKIPPED, 0, 0,
                        bestFeasibleMap(open(planned))));
                out.printf("%s: skipped, finished in %s%n", position, folder);
                out.flush();
                continue;
            }
            if (exists) {
                out.printf("%s: resuming the unfinished run in %s%n", position, folder);
                out.flush();
            }
            long start = System.nanoTime();
            int status = planned.launch().run(exists);
            double seconds = (System.nanoTime() - start) / 1e9;
            secondsRun += seconds;
            pointsRun++;
            PointOutcome outcome = status == 0
                    ? new PointOutcome(planned.point(), exists ? PointOutcome.Status.RESUMED : PointOutcome.Status.OK,
                            0, seconds, bestFeasibleMap(open(planned)))
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
    private static boolean finished(Run run) {
        boolean searched = run.population().lastGeneration() >= run.config().search().generations();
        return searched && (!run.config().finals().afterSearch() || run.finalModels().exists());
    }

    private Run open(PlannedRun planned) {
        return Run.open(spark, planned.outputDir(), planned.point().runId(), planned.config(), line -> { });
    }

    private static OptionalDouble bestFeasibleMap(Run run) {
        return run.candidates().read().stream().filter(r -> r.feasible() && r.evaluated())
                .mapToDouble(CandidateRow::map50).max();
    }
}
