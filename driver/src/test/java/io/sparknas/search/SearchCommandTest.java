package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cli.SparkNas;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.results.CandidateTable;
import io.sparknas.space.SearchSpace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sparknas search` end to end on a real local Spark with a tiny supernet and dataset: the Parquet tables, a task
 * that fails once, and a driver stopped after a generation and resumed.
 */
class SearchCommandTest {

    private static final String[] TINY = {"--set", "data.synthetic.train=32", "--set", "data.synthetic.val=12",
        "--set", "data.synthetic.test=4", "--set", "data.synthetic.image-size=64", "--set", "supernet.batch-size=16",
        "--set", "supernet.random-subnets=1", "--set", "supernet.recalibration-batches=1", "--set", "spark.ui=false"};

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path checkpoint;
    private static Path target;

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        String[] all = new String[args.length + TINY.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(TINY, 0, all, args.length, TINY.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SparkNas.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(status, out.toString(), err.toString());
    }

    /**
     * A tiny supernet in the 64 px x 0.3 cell, and a target whose SRAM budget is the median peak SRAM of that
     * cell, so about half the candidates do not fit.
     */
    @BeforeAll
    static void supernetAndTightTarget() throws IOException {
        Result trained = run("supernet", "train", "--out", shared.resolve("supernet").toString(), "--epochs", "1",
                "--resolution", "64", "--width", "0.3");
        assertEquals(0, trained.status(), trained.err());
        checkpoint = shared.resolve("supernet").resolve("supernet.ckpt");
        SparkNasConfig config = ConfigLoader.load(null, List.of());
        SearchSpace cell = config.space().narrow(64, 0.3);
        CostModel model = new CostModel(cell, config.target(), config.cost());
        SplittableRandom random = new SplittableRandom(3);
        long[] peaks = new long[301];
        for (int i = 0; i < peaks.length; i++) {
            peaks[i] = model.evaluate(cell.sample(random)).peakSram();
        }
        Arrays.sort(peaks);
        target = shared.resolve("tight.conf");
        Files.writeString(target, String.join("\n", "name = \"tight\"", "core = \"Cortex-M4\"", "clock-mhz = 64",
                "sram = " + peaks[150], "flash = 1MiB", "runtime-sram = 0", "runtime-flash = 0",
                "latency-budget-ms = 0",
                "cycles { conv = 1.2, pointwise = 1.0, depthwise = 2.0, dense = 1.0, add = 2.0, pool = 1.0, "
                        + "per-layer = 2000 }", ""));
    }

    @AfterEach
    void stopSpark() {
        SparkSession.getActiveSession().foreach(session -> {
            session.stop();
            return null;
        });
    }

    private Result search(String runId, String master, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", "--supernet", checkpoint.toString(), "--target",
                target.toString(), "--output", dir.toString(), "--set", "spark.master=\"" + master + "\"",
                "--population", "6", "--set", "search.elitism=1"));
        if (runId != null) {
            args.add("--run-id");
            args.add(runId);
        }
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static List<Row> rows(String runDir) {
        return SparkSession.active().read().parquet(runDir + "/" + CandidateTable.FOLDER)
                .orderBy("generation", "candidate_id").collectAsList();
    }

    /** The columns that a run reproduces exactly (not timings, hosts or the run id). */
    private static List<String> reproducible(List<Row> rows) {
        return rows.stream().map(r -> r.getAs("generation") + " " + r.getAs("candidate_id") + " " + r.getAs("proposer")
                + " " + r.getAs("feasible") + " " + r.getAs("map50") + " " + r.getAs("violation")).toList();
    }

    @Test
    void aTinySearchWritesEveryCandidateOnceFeasibleAndScoredOrInfeasibleWithItsReason() {
        Result result = search("e2e", "local[2]", "--generations", "2");
        assertEquals(0, result.status(), result.err() + result.out());
        assertTrue(result.out().contains("generation 2/2  evaluated"), result.out());
        assertTrue(result.out().contains("Best feasible on tight"), result.out());
        String runDir = dir.resolve("e2e").toString();
        List<Row> rows = rows(runDir);
        List<String> expectedColumns = new ArrayList<>(Arrays.asList(CandidateTable.SCHEMA.fieldNames()));
        expectedColumns.add("generation");
        assertEquals(expectedColumns, Arrays.asList(SparkSession.active().read().parquet(runDir + "/candidates")
                .schema().fieldNames()));
        assertEquals(rows.size(), rows.stream().map(r -> r.getAs("candidate_id")).distinct().count(),
                "no candidate twice");
        assertEquals(6, rows.stream().filter(r -> (int) r.getAs("generation") == 0 && (boolean) r.getAs("feasible"))
                .count(), "the initial population: 6 feasible candidates");
        int feasible = 0;
        int infeasible = 0;
        for (Row row : rows) {
            if (row.<Boolean>getAs("feasible")) {
                feasible++;
                assertNotNull(row.getAs("map50"));
                assertTrue(row.<Double>getAs("map50") >= 0 && row.<Double>getAs("map50") <= 1);
                assertEquals("", row.getAs("violation"));
            } else {
                infeasible++;
                assertNull(row.getAs("map50"), "an infeasible candidate is never evaluated");
                assertTrue(row.<String>getAs("violation").startsWith("sram: needs"), row.<String>getAs("violation"));
                assertTrue(row.<Long>getAs("peak_sram_in_place") > 0);
            }
            assertEquals("e2e", row.getAs("run_id"));
            assertTrue(row.<String>getAs("provenance").contains("supernet supernet.ckpt epoch 1"));
        }
        assertTrue(feasible > 6, "offspring were scored: " + feasible);
        assertTrue(infeasible > 0, "with half the cell over budget, some offspring were rejected: " + infeasible);
        com.fasterxml.jackson.databind.JsonNode manifest;
        try {
            manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("e2e/run.json").toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(42, manifest.at("/seeds/run").asLong(), "run.json carries the seeds");
        assertEquals("7.2.0", manifest.at("/libraries/jenetics").asText());
        assertEquals("4.1.3", manifest.at("/libraries/spark").asText());
        assertTrue(manifest.at("/git_revision").asText().matches("[0-9a-f]{40}|unknown"));
        assertEquals(6, manifest.at("/config/search/population").asInt(), "the resolved configuration, options included");
        assertTrue(manifest.at("/command").asText().startsWith("search --supernet"), manifest.at("/command").asText());
        assertEquals(List.of(0, 1, 2), List.of(Files.exists(dir.resolve("e2e/population/generation=0")) ? 0 : -1,
                Files.exists(dir.resolve("e2e/population/generation=1")) ? 1 : -1,
                Files.exists(dir.resolve("e2e/population/generation=2")) ? 2 : -1));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndNothingIsLostOrDuplicated() {
        Result clean = search("clean", "local[2]", "--generations", "1");
        assertEquals(0, clean.status(), clean.err());
        List<String> expected = reproducible(rows(dir.resolve("clean").toString()));
        SparkSession.active().stop();

        Result flaky = search("flaky", "local[2,2]", "--generations", "1", "--set",
                "search.testing.fail-first-attempt=true");
        assertEquals(0, flaky.status(), flaky.err());
        List<Row> rows = rows(dir.resolve("flaky").toString());
        assertEquals(expected, reproducible(rows), "the same rows as a run without failures");
        assertTrue(rows.stream().filter(r -> r.<Boolean>getAs("feasible"))
                .allMatch(r -> r.<String>getAs("provenance").endsWith("attempt 1")), "scored by the retry");
    }

    @Test
    void aRunStoppedAfterAGenerationAndResumedEqualsAnUninterruptedOne() {
        Result straight = search("straight", "local[2]", "--generations", "3");
        assertEquals(0, straight.status(), straight.err());
        Result stopped = search("stopped", "local[2]", "--generations", "1");
        assertEquals(0, stopped.status(), stopped.err());
        Result resumed = search(null, "local[2]", "--generations", "3", "--resume", "stopped");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming after generation 1"), resumed.out());
        assertFalse(resumed.out().contains("generation 1/3"), "generation 1 is not redone");

        List<String> uninterrupted = reproducible(rows(dir.resolve("straight").toString()));
        List<String> continued = reproducible(rows(dir.resolve("stopped").toString()));
        assertEquals(uninterrupted, continued);

        Result again = search("straight", "local[2]", "--generations", "3");
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already exists"), again.err());
    }
    @Test
    void theTwoObjectiveSearchReportsTheParetoFrontOfMapAndLatency() {
        Result result = search("pareto", "local[2]", "--generations", "1", "--set", "search.objective=map-latency");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("Pareto front of mAP against latency ms on tight"), result.out());
        List<Row> scored = rows(dir.resolve("pareto").toString()).stream()
                .filter(r -> r.<Boolean>getAs("feasible")).toList();
        List<Row> front = scored.stream().filter(a -> scored.stream().noneMatch(b ->
                b.<Double>getAs("map50") >= a.<Double>getAs("map50")
                        && b.<Double>getAs("latency_ms") <= a.<Double>getAs("latency_ms")
                        && (b.<Double>getAs("map50") > a.<Double>getAs("map50")
                        || b.<Double>getAs("latency_ms") < a.<Double>getAs("latency_ms")))).toList();
        String report = result.out().substring(result.out().indexOf("Pareto front"));
        long printed = report.lines().filter(line -> line.matches("\\d+\\s+[\\d.]+\\s.*")).count();
        assertTrue(!front.isEmpty());
        assertEquals(front.size(), printed, "every non-dominated candidate, and only those, is reported:\n" + report);
    }
}
