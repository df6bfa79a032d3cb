package io.sparknas.search;

import io.sparknas.run.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparknas.cli.SparkNas;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.space.SearchSpace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the search tests share: the CLI run in-process with a tiny dataset, a tiny supernet in the 64 px x 0.3
 * cell, and a target whose SRAM budget is that cell's median peak SRAM, so about half the candidates do not fit.
 */
final class TinySearch {

    static final String[] TINY = {"--set", "data.synthetic.train=32", "--set", "data.synthetic.val=12",
        "--set", "data.synthetic.test=4", "--set", "data.synthetic.image-size=64", "--set", "supernet.batch-size=16",
        "--set", "supernet.random-subnets=1", "--set", "supernet.recalibration-batches=1", "--set", "spark.ui=false",
        "--set", "final.baseline=false", "--set", "final.after-search=false"};

    record Result(int status, String out, String err) {
    }

    /** The trained tiny supernet and the tight target file. */
    record Fixture(Path checkpoint, Path target) {
    }

    private TinySearch() {
    }

    static Result run(String... args) {
        return run(TINY, args);
    }

    /** Runs exactly {@code args}, without the tiny settings (e.g. a resume, which takes them from the run). */
    static Result runBare(String... args) {
        return run(new String[0], args);
    }

    /**
     * Runs with the tiny settings but {@code final.after-search} and {@code final.baseline} as by default (on): a
     * search that ends by finalizing, the baseline included when it fits the target.
     */
    static Result runFinalizingAfterSearch(String... args) {
        return run(java.util.Arrays.copyOf(TINY, TINY.length - 4), args);
    }

    private static Result run(String[] settings, String... args) {
        String[] all = new String[args.length + settings.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(settings, 0, all, args.length, settings.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SparkNas.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(status, out.toString(), err.toString());
    }

    /** Trains the tiny supernet (1 epoch) and writes the tight target, under {@code dir}. */
    static Fixture prepare(Path dir) throws IOException {
        Result trained = run("supernet", "train", "--out", dir.resolve("supernet").toString(), "--epochs", "1",
                "--resolution", "64", "--width", "0.3");
        assertEquals(0, trained.status(), trained.err());
        Path target = dir.resolve("tight.conf");
        Files.writeString(target, String.join("\n", "name = \"tight\"", "core = \"Cortex-M4\"", "clock-mhz = 64",
                "sram = " + medianPeakSram(), "flash = 1MiB", "runtime-sram = 0", "runtime-flash = 0",
                "latency-budget-ms = 0",
                "cycles { conv = 1.2, pointwise = 1.0, depthwise = 2.0, dense = 1.0, add = 2.0, pool = 1.0, "
                        + "per-layer = 2000 }", ""));
        return new Fixture(dir.resolve("supernet").resolve("supernet.ckpt"), target);
    }

    /** The cell the tiny supernet was trained in. */
    static SearchSpace cell() {
        return ConfigLoader.load(null, List.of()).space().narrow(64, 0.3);
    }

    private static long medianPeakSram() {
        SparkNasConfig config = ConfigLoader.load(null, List.of());
        CostModel model = new CostModel(cell(), config.target(), config.cost());
        SplittableRandom random = new SplittableRandom(3);
        long[] peaks = new long[301];
        for (int i = 0; i < peaks.length; i++) {
            peaks[i] = model.evaluate(cell().sample(random)).peakSram();
        }
        Arrays.sort(peaks);
        return peaks[150];
    }

    /** The run {@code id} in {@code results}, opened with the default configuration to read its tables. */
    static Run open(Path results, String id) {
        return Run.open(SparkSession.active(), results.toString(), id, ConfigLoader.load(null, List.of()), line -> { });
    }

    static List<Row> rows(String runDir) {
        return SparkSession.active().read().parquet(runDir + "/" + Run.CANDIDATES)
                .orderBy("generation", "candidate_id").collectAsList();
    }

    /** The columns that a run reproduces exactly (not timings, hosts or the run id). */
    static List<String> reproducible(List<Row> rows) {
        return rows.stream().map(r -> r.getAs("generation") + " " + r.getAs("candidate_id") + " " + r.getAs("proposer")
                + " " + r.getAs("feasible") + " " + r.getAs("map50") + " " + r.getAs("violation")).toList();
    }

    static void stopSpark() {
        SparkSession.getActiveSession().foreach(session -> {
            session.stop();
            return null;
        });
    }
}
