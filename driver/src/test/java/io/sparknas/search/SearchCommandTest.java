package io.sparknas.search;

import io.sparknas.run.CandidateRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path checkpoint;
    private static Path target;

    @BeforeAll
    static void supernetAndTightTarget() throws IOException {
        TinySearch.Fixture fixture = TinySearch.prepare(shared);
        checkpoint = fixture.checkpoint();
        target = fixture.target();
    }

    @AfterEach
    void stopSpark() {
        TinySearch.stopSpark();
    }

    private TinySearch.Result search(String runId, String master, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", "--supernet", checkpoint.toString(), "--target",
                target.toString(), "--output", dir.toString(), "--set", "spark.master=\"" + master + "\"",
                "--population", "6"));
        if (runId != null) {
            args.add("--run-id");
            args.add(runId);
        }
        args.addAll(List.of(extra));
        return TinySearch.run(args.toArray(String[]::new));
    }

    @Test
    void aTinySearchWritesEveryCandidateOnceFeasibleAndScoredOrInfeasibleWithItsReason() {
        TinySearch.Result result = search("e2e", "local[2]", "--generations", "3", "--set",
                "search.mutation-rate=0.9", "--set", "budgets.latency-ms=0");
        assertEquals(0, result.status(), result.err() + result.out());
        assertTrue(result.out().contains("generation 3/3  scored"), result.out());
        assertTrue(result.out().contains("Best feasible on tight"), result.out());
        assertTrue(result.out().contains("LLM proposer: off (llm.endpoint is not set); offspring come from the GA "
                + "only"), "the embedded default says once that the LLM proposer is off");
        String runDir = dir.resolve("e2e").toString();
        List<Row> rows = TinySearch.rows(runDir);
        List<String> expectedColumns = new ArrayList<>(Arrays.asList(CandidateRow.CODEC.schema().fieldNames()));
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
        assertEquals("tight", manifest.at("/target/name").asText(), "and the target's budgets as numbers");
        assertTrue(manifest.at("/target/sram_bytes").asLong() > 0);
        assertEquals("in-place", manifest.at("/target/memory_plan").asText());
        assertEquals("7.2.0", manifest.at("/libraries/jenetics").asText());
        assertEquals("4.1.3", manifest.at("/libraries/spark").asText());
        assertTrue(manifest.at("/git_revision").asText().matches("[0-9a-f]{40}|unknown"));
        assertEquals(6, manifest.at("/config/search/population").asInt(), "the resolved configuration, options included");
        java.util.regex.Matcher anchors = java.util.regex.Pattern.compile("anchors: \\[\\[([\\d.]+), ([\\d.]+)\\].*"
                + "as the supernet was trained").matcher(result.out());
        assertTrue(anchors.find(), "a search on a given supernet uses the anchors it was trained with: " + result.out());
        assertEquals(Double.parseDouble(anchors.group(1)),
                manifest.at("/config/space/head/anchor-boxes/0/0").asDouble(), 1e-9, "and records them in run.json");
        assertTrue(manifest.at("/command").asText().startsWith("search --supernet"), manifest.at("/command").asText());
        assertEquals(List.of(0, 1, 2), List.of(Files.exists(dir.resolve("e2e/population/generation=0")) ? 0 : -1,
                Files.exists(dir.resolve("e2e/population/generation=1")) ? 1 : -1,
                Files.exists(dir.resolve("e2e/population/generation=2")) ? 2 : -1));
        Path log = dir.resolve("e2e/logs/driver.log");
        assertTrue(Files.isRegularFile(log), "the run's log is in its folder");
        assertTrue(result.out().strip().endsWith("log: " + log), "the last line says where: " + result.out());
    }

    /**
     * With {@code eval.adaptation-steps} the executors train each candidate briefly before scoring it: the same
     * candidates as without, other scores, and every row says how it was scored.
     */
    @Test
    void adaptationStepsChangeTheScoresAndAreRecordedWithEveryRow() {
        TinySearch.Result plain = search("plain", "local[2]", "--generations", "1", "--set",
                "eval.adaptation-steps=0");
        assertEquals(0, plain.status(), plain.err());
        List<Row> before = TinySearch.rows(dir.resolve("plain").toString());
        TinySearch.Result adapted = search("adapted", "local[2]", "--generations", "1", "--set",
                "eval.adaptation-steps=4", "--set", "eval.adaptation-learning-rate=0.01");
        assertEquals(0, adapted.status(), adapted.err());
        List<Row> after = TinySearch.rows(dir.resolve("adapted").toString());

        java.util.Map<Object, Double> scoreBefore = new java.util.HashMap<>();
        before.stream().filter(r -> r.<Boolean>getAs("feasible") && (int) r.getAs("generation") == 0)
                .forEach(r -> scoreBefore.put(r.getAs("architecture"), r.getAs("map50")));
        List<Row> initial = after.stream().filter(r -> r.<Boolean>getAs("feasible")
                && (int) r.getAs("generation") == 0).toList();
        assertEquals(scoreBefore.keySet(), initial.stream().map(r -> r.getAs("architecture"))
                .collect(java.util.stream.Collectors.toSet()), "the same initial population");
        long changed = initial.stream().filter(r -> !r.getAs("map50").equals(scoreBefore.get(r.getAs("architecture"))))
                .count();
        assertTrue(changed >= initial.size() / 2, "adaptation changes the scores: " + changed + " of " + initial.size());
        for (Row row : after) {
            if (row.<Boolean>getAs("feasible")) {
                assertTrue(row.<String>getAs("provenance").contains("; after 4 adaptation steps at 0.01;"),
                        row.<String>getAs("provenance"));
            }
        }
        assertTrue(before.stream().noneMatch(r -> r.<String>getAs("provenance").contains("adaptation")));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndNothingIsLostOrDuplicated() {
        TinySearch.Result clean = search("clean", "local[2]", "--generations", "1");
        assertEquals(0, clean.status(), clean.err());
        List<String> expected = TinySearch.reproducible(TinySearch.rows(dir.resolve("clean").toString()));
        SparkSession.active().stop();

        TinySearch.Result flaky = search("flaky", "local[2,2]", "--generations", "1", "--set",
                "search.testing.fail-first-attempt=true");
        assertEquals(0, flaky.status(), flaky.err());
        List<Row> rows = TinySearch.rows(dir.resolve("flaky").toString());
        assertEquals(expected, TinySearch.reproducible(rows), "the same rows as a run without failures");
        assertTrue(rows.stream().filter(r -> r.<Boolean>getAs("feasible"))
                .allMatch(r -> r.<String>getAs("provenance").endsWith("attempt 1")), "scored by the retry");
    }

    @Test
    void aDriverKilledAfterACommittedGenerationResumesFromItsRunAloneAndEqualsTheUninterruptedRun() throws Exception {
        String[] options = {"--generations", "4", "--set", "search.crossover-rate=0.9"};
        TinySearch.Result straight = search("straight", "local[2]", options);
        assertEquals(0, straight.status(), straight.err());
        List<String> uninterrupted = TinySearch.reproducible(TinySearch.rows(dir.resolve("straight").toString()));
        TinySearch.stopSpark();

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g"));
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sparknas.cli.SparkNas", "search",
                "--supernet", checkpoint.toString(), "--target", target.toString(), "--output", dir.toString(),
                "--set", "spark.master=\"local[2]\"", "--population", "6", "--run-id", "killed"));
        command.addAll(List.of(options));
        command.addAll(List.of(TinySearch.TINY));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path committed = dir.resolve("killed/population/generation=1");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.exists(committed) && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        driver.destroyForcibly().waitFor();
        assertTrue(Files.exists(committed), "generation 1 was committed: " + Files.readString(dir.resolve("killed.log")));
        assertFalse(Files.exists(dir.resolve("killed/population/generation=4")), "killed before the end");

        TinySearch.Result refused = TinySearch.runBare("search", "--resume", "killed", "--output", dir.toString(),
                "--generations", "6");
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("--resume killed: --generations 6 would change search.generations from 4 to 6"),
                refused.err());
        TinySearch.stopSpark();

        TinySearch.Result resumed = TinySearch.runBare("search", "--resume", "killed", "--output", dir.toString());
        assertEquals(0, resumed.status(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("resuming after generation"), resumed.out());
        assertTrue(resumed.out().contains("supernet: " + checkpoint), "the run's own --supernet: " + resumed.out());
        assertFalse(resumed.out().contains("stage 1"), "no stage 1");
        assertFalse(resumed.out().contains("epochs of"), "no supernet training");
        assertTrue(resumed.out().contains("generation 4/4"), "the run's own generations: " + resumed.out());
        assertEquals(uninterrupted, TinySearch.reproducible(TinySearch.rows(dir.resolve("killed").toString())));

        TinySearch.Result again = search("straight", "local[2]", "--generations", "3");
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void theTwoObjectiveSearchReportsTheParetoFrontOfMapAndLatency() {
        TinySearch.Result result = search("pareto", "local[2]", "--generations", "1", "--set", "search.objective=map-latency");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("Pareto front of mAP against latency ms on tight"), result.out());
        List<Row> scored = TinySearch.rows(dir.resolve("pareto").toString()).stream()
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
        assertTrue(result.out().contains("hypervolume "), "printed per generation: " + result.out());
        List<Double> volumes = TinySearch.open(dir, "pareto").generations().read().stream()
                .map(io.sparknas.run.GenerationSummary::hypervolume).toList();
        assertEquals(2, volumes.size(), "stored per generation");
        assertTrue(volumes.get(0) >= 0 && volumes.get(1) >= volumes.get(0), "and never falls: " + volumes
                + " (the tiny supernet's mAPs are at the floor, so the area may be 0 here; SearchObjectiveTest checks "
                + "its value)");
    }
}
