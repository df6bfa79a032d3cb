package io.sparknas.search;

import io.sparknas.run.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sparknas.cli.SparkNas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sparknas sweep}: a 2-point sweep run locally end to end and rerun (both skipped), an unfinished point
 * resumed, the same sweep emitted as
 * SparkApplication manifests whose arguments the real command line accepts, and bad specs refused before any run.
 */
class SweepCommandTest {

    @TempDir
    static Path shared;

    private static TinySearch.Fixture fixture;

    @BeforeAll
    static void aTinySupernet() throws IOException {
        fixture = TinySearch.prepare(shared);
        TinySearch.stopSpark();
    }

    @AfterEach
    void stopSpark() {
        TinySearch.stopSpark();
    }

    private static Path spec(String name, String body) throws IOException {
        Path file = shared.resolve(name);
        Files.writeString(file, body);
        return file;
    }

    private static Path twoPointSpec() throws IOException {
        return spec("two.conf", String.join("\n", "sweep {", "  name = \"tiny\"",
                "  targets = [\"" + fixture.target() + "\"]", "  latency-ms = [0]", "  seeds = [1, 2]",
                "  set { search.generations = 1, search.population = 4 }", "}", ""));
    }

    @Test
    void aTwoPointSweepRunsBothSearchesAndARerunSkipsThem() throws IOException {
        Path results = shared.resolve("results");
        String[] args = {"sweep", "--spec", twoPointSpec().toString(), "--supernet", fixture.checkpoint().toString(),
            "--output", results.toString(), "--set", "spark.master=\"local[2]\""};
        TinySearch.Result first = TinySearch.run(args);
        assertEquals(0, first.status(), first.err() + first.out());
        for (String runId : List.of("tiny-tight-lat0-s1", "tiny-tight-lat0-s2")) {
            assertTrue(Files.isDirectory(results.resolve(runId).resolve(Run.CANDIDATES)), runId);
            assertTrue(first.out().lines().anyMatch(line -> line.startsWith(runId + " ") && line.contains(" ok ")),
                    first.out());
        }
        assertTrue(first.out().contains("[1/2] tiny-tight-lat0-s1: ok in "), first.out());
        assertTrue(first.out().contains("[2/2] tiny-tight-lat0-s2: ok in "), first.out());
        int candidates = TinySearch.rows(results.resolve("tiny-tight-lat0-s1").toString()).size();
        assertTrue(candidates >= 4, "population 4 plus one generation: " + candidates);

        TinySearch.Result again = TinySearch.run(args);
        assertEquals(0, again.status(), again.err() + again.out());
        assertTrue(again.out().contains("[1/2] tiny-tight-lat0-s1: skipped"), again.out());
        assertTrue(again.out().contains("[2/2] tiny-tight-lat0-s2: skipped"), again.out());
        assertFalse(again.out().contains("candidates, "), "no search ran again: " + again.out());
        assertEquals(candidates, TinySearch.rows(results.resolve("tiny-tight-lat0-s1").toString()).size());
    }

    @Test
    void anUnfinishedPointIsResumedToTheEndAndTheOtherRunsFromScratch() throws IOException {
        Path results = shared.resolve("resume-results");
        TinySearch.Result first = TinySearch.run("sweep", "--spec", twoPointSpec().toString(), "--supernet",
                fixture.checkpoint().toString(), "--output", results.toString(), "--set", "spark.master=\"local[2]\"");
        assertEquals(0, first.status(), first.err() + first.out());
        String s1 = results.resolve("tiny-tight-lat0-s1").toString();
        List<String> whole = TinySearch.reproducible(TinySearch.rows(s1));
        for (String table : List.of("population", "generations")) {
            delete(results.resolve("tiny-tight-lat0-s1").resolve(table).resolve("generation=1"));
        }
        delete(results.resolve("tiny-tight-lat0-s2"));
        assertEquals(List.of(0), TinySearch.open(results, "tiny-tight-lat0-s1").population().generations(),
                "a run that crashed after committing generation 0 of the sweep's 1");

        TinySearch.Result sweep = TinySearch.run("sweep", "--spec", twoPointSpec().toString(), "--supernet",
                fixture.checkpoint().toString(), "--output", results.toString(), "--set", "spark.master=\"local[2]\"");
        assertEquals(0, sweep.status(), sweep.err() + sweep.out());
        assertTrue(sweep.out().contains("[1/2] tiny-tight-lat0-s1: resuming the unfinished run in " + s1), sweep.out());
        assertTrue(sweep.out().contains("resuming after generation 0"), sweep.out());
        assertTrue(sweep.out().contains("[1/2] tiny-tight-lat0-s1: ok (resumed) in "), sweep.out());
        assertTrue(sweep.out().contains("[2/2] tiny-tight-lat0-s2: ok in "), sweep.out());
        assertEquals(List.of(0, 1), TinySearch.open(results, "tiny-tight-lat0-s1").population().generations());
        assertEquals(whole, TinySearch.reproducible(TinySearch.rows(s1)), "the resumed point equals its whole run");
    }

    @Test
    @SuppressWarnings("unchecked")
    void emittedManifestsAreSparkApplicationsWhoseArgumentsTheCommandLineAccepts() throws IOException {
        Path dir = shared.resolve("k8s");
        TinySearch.Result emitted = TinySearch.run("sweep", "--spec", twoPointSpec().toString(), "--supernet",
                "/shared/supernet.ckpt", "--emit", "k8s", dir.toString(), "--image", "registry.example/sparknas:1");
        assertEquals(0, emitted.status(), emitted.err() + emitted.out());
        assertTrue(emitted.out().contains("kubectl apply -f " + dir), emitted.out());
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertEquals(List.of(dir.resolve("tiny-tight-lat0-s1.yaml"), dir.resolve("tiny-tight-lat0-s2.yaml")), files);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (int seed = 1; seed <= 2; seed++) {
            Map<String, Object> manifest = yaml.readValue(files.get(seed - 1).toFile(), Map.class);
            assertEquals("sparkoperator.k8s.io/v1beta2", manifest.get("apiVersion"));
            assertEquals("SparkApplication", manifest.get("kind"));
            assertEquals("tiny-tight-lat0-s" + seed, ((Map<String, Object>) manifest.get("metadata")).get("name"));
            Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
            assertEquals("io.sparknas.cli.SparkNas", spec.get("mainClass"));
            assertEquals("registry.example/sparknas:1", spec.get("image"));
            assertEquals("4.1.3", spec.get("sparkVersion"));
            assertEquals(2, ((Map<String, Object>) spec.get("executor")).get("instances"));
            assertTrue(((String) ((Map<String, Object>) spec.get("driver")).get("javaOptions"))
                    .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
            List<String> arguments = (List<String>) spec.get("arguments");
            CommandLine.ParseResult parsed = new CommandLine(new SparkNas())
                    .parseArgs(arguments.toArray(String[]::new));
            CommandLine.ParseResult search = parsed.subcommand();
            assertEquals("search", search.commandSpec().name());
            assertEquals("tiny-tight-lat0-s" + seed, search.matchedOptionValue("--run-id", ""));
            assertEquals("/results", search.matchedOptionValue("--output", ""));
            assertEquals("/shared/supernet.ckpt", search.matchedOptionValue("--supernet", ""));
            assertEquals(Path.of("/opt/sparknas/conf/sparknas.conf"), search.matchedOptionValue("--config", Path.of("")));
            List<String> sets = search.matchedOptionValue("--set", List.of());
            assertTrue(sets.contains("run.seed=" + seed), sets.toString());
            assertTrue(sets.contains("search.population=4"), sets.toString());
            assertEquals("budgets.latency-ms=0", sets.get(sets.size() - 2));
        }
    }

    @Test
    void anUnknownSetKeyIsRefusedBeforeAnyRunNamingTheFileAndKey() throws IOException {
        Path bad = spec("unknown-key.conf", String.join("\n", "sweep {", "  name = \"bad\"",
                "  targets = [\"stm32f746\"]", "  latency-ms = [60]", "  seeds = [1]",
                "  set { search.generationz = 2 }", "}", ""));
        Path results = shared.resolve("bad-results");
        TinySearch.Result result = TinySearch.run("sweep", "--spec", bad.toString(), "--output", results.toString());
        assertEquals(SparkNas.BAD_INPUT, result.status(), result.err() + result.out());
        assertTrue(result.err().contains(bad.toString()) && result.err().contains("line 6")
                && result.err().contains("sweep.set.search.generationz"), result.err());
        assertFalse(Files.exists(results), "nothing ran");
    }

    @Test
    void aMissingSeedsListIsRefusedBeforeAnyRunNamingTheFileAndKey() throws IOException {
        Path bad = spec("no-seeds.conf", "sweep { name = \"bad\", targets = [\"stm32f746\"], latency-ms = [60] }\n");
        Path results = shared.resolve("bad-results");
        TinySearch.Result result = TinySearch.run("sweep", "--spec", bad.toString(), "--output", results.toString());
        assertEquals(SparkNas.BAD_INPUT, result.status(), result.err() + result.out());
        assertTrue(result.err().contains("sweep spec " + bad + ": sweep.seeds: missing"), result.err());
        assertFalse(Files.exists(results), "nothing ran");
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
