package io.sparknas.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.MemoryPlan;
import io.sparknas.task.TeacherOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run folder and its tables: a run written by SparkNAS before the {@code run} package existed (commit 3a80e10,
 * kept in {@code src/test/resources/golden/}) reads back as it was stored, the codecs declare exactly the schemas
 * that code wrote, and what a run writes now reads back equal.
 */
class RunTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final SparkNasConfig CONFIG = ConfigLoader.load(null, List.of());

    @TempDir
    static Path temp;

    private static SparkSession spark;
    private static Path results;

    @BeforeAll
    static void copyTheGoldenRun() throws IOException {
        spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        results = temp.resolve("results");
        Path from = GOLDEN.resolve("run-3a80e10");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = results.resolve("golden").resolve(from.relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
            }
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Run golden() {
        return Run.open(spark, results.toString(), "golden", CONFIG, line -> { });
    }

    /** The schemas the old hand-written tables declared, one line per table: {@code name json}. */
    private static Map<String, StructType> oldSchemas() throws IOException {
        Map<String, StructType> schemas = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN.resolve("schemas-3a80e10.txt"))) {
            int space = line.indexOf(' ');
            schemas.put(line.substring(0, space), (StructType) DataType.fromJson(line.substring(space + 1)));
        }
        return schemas;
    }

    @Test
    void everyCodecDeclaresTheSchemaTheOldTablesWrote() throws IOException {
        Map<String, StructType> old = oldSchemas();
        assertEquals(6, old.size());
        assertEquals(old.get("candidates"), CandidateRow.CODEC.schema());
        assertEquals(old.get("proposals"), ProposalRow.CODEC.schema());
        StructType finals = FinalModelRow.CODEC.schema();
        List<String> exports = java.util.Arrays.stream(finals.fieldNames())
                .filter(f -> f.startsWith("int8_") || f.startsWith("onnx_") || f.startsWith("c_model_")).toList();
        assertEquals(14, exports.size(), "final_models gained the int8 figures and the ONNX files (issue 20) and "
                + "the C exports (issue 22)");
        List<String> distilled = java.util.Arrays.stream(finals.fieldNames())
                .filter(f -> f.endsWith("_with_kd") && !exports.contains(f)).toList();
        assertEquals(6, distilled.size());
        distilled.forEach(f -> assertTrue(finals.apply(f).nullable(), f + " is null for a baseline trained without "
                + "distillation only (issue 23)"));
        assertEquals(old.get("final_models"), new StructType(java.util.Arrays.stream(finals.fields())
                .filter(f -> !exports.contains(f.name()))
                .map(f -> distilled.contains(f.name()) ? f.copy(f.name(), f.dataType(), false, f.metadata()) : f)
                .toArray(org.apache.spark.sql.types.StructField[]::new)),
                "the other columns are as they were, the distilled training's columns nullable since issue 23");
        exports.forEach(f -> assertTrue(finals.apply(f).nullable(), f + " is absent in old runs, so it may be null"));
        assertEquals(old.get("space_selection"), SpaceSelectionRow.CODEC.schema());
        StructType outputs = TeacherOutputsCache.CODEC.schema();
        assertEquals(old.get("teacher_outputs"), new StructType(java.util.Arrays.stream(outputs.fields())
                .filter(f -> !f.name().equals("view")).toArray(org.apache.spark.sql.types.StructField[]::new)),
                "teacher_outputs gained one column since, the augmented view; the others are as they were");
        assertTrue(outputs.apply("view").nullable(), "absent in old runs, so it may be null");
        StructType population = PopulationMember.CODEC.schema();
        assertEquals(old.get("population"), new StructType(java.util.Arrays.stream(population.fields())
                .filter(f -> !f.name().equals("genes")).toArray(org.apache.spark.sql.types.StructField[]::new)),
                "population gained one column since (issue 17), the genotypes; the others are as they were");
        assertTrue(population.apply("genes").nullable(), "absent in old runs, so it may be null");
    }

    @Test
    void anOldPopulationReadsBackWithoutGenotypes() {
        List<PopulationMember> members = golden().population().read(1);
        assertTrue(!members.isEmpty());
        assertTrue(members.stream().allMatch(m -> m.genes() == null && m.architecture().startsWith("{")));
    }

    @Test
    void candidatesOfAnOldRunReadBackAsStoredWithoutACostModel() {
        List<CandidateRow> rows = golden().candidates().read();
        List<Row> stored = spark.read().parquet(results.resolve("golden/candidates").toString())
                .orderBy("generation", "candidate_id").collectAsList();
        assertEquals(stored.size(), rows.size());
        assertTrue(rows.size() >= 6, "generation 0 alone scored 6: " + rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CandidateRow row = rows.get(i);
            Row raw = stored.get(i);
            assertEquals(raw.<String>getAs("candidate_id"), row.candidateId());
            assertEquals(raw.<Integer>getAs("generation"), row.generation());
            assertEquals(raw.<String>getAs("proposer"), row.proposer().text());
            assertEquals(raw.<Long>getAs("macs"), row.costs().macs());
            assertEquals(raw.<Long>getAs("flash_bytes"), row.costs().flashBytes());
            assertEquals(raw.<Long>getAs("peak_sram_in_place"), row.costs().peakSram(), "in-place decided");
            assertEquals(raw.<Double>getAs("latency_ms"), row.costs().latencyMs());
            assertEquals(raw.<Boolean>getAs("feasible"), row.feasible());
            assertEquals(raw.<String>getAs("violation"), row.violation());
            assertEquals(raw.<Double>getAs("map50"), row.map50());
            assertEquals(raw.<String>getAs("architecture"), row.architectureJson(), "canonical JSON round trip");
            assertEquals(MemoryPlan.IN_PLACE, row.costs().memoryPlan());
        }
        assertTrue(rows.stream().filter(r -> !r.feasible()).allMatch(r -> r.map50() == null),
                "infeasible rows have no score");
        assertTrue(rows.stream().anyMatch(CandidateRow::evaluated), "the run scored candidates");
        assertEquals(List.of(0, 1), golden().candidates().generations());
    }

    @Test
    void theOtherTablesOfAnOldRunReadBack() {
        Run run = golden();
        List<PopulationMember> population = run.population().read(1);
        assertEquals(6, population.size());
        for (int i = 0; i < population.size(); i++) {
            assertEquals(i, population.get(i).position());
        }
        assertEquals(1, run.population().lastGeneration());

        List<ProposalRow> proposals = run.proposals().read();
        assertEquals(2, proposals.size());
        assertEquals(ProposalOutcome.DUPLICATE, proposals.get(0).outcome());
        assertEquals(Integer.valueOf(0), proposals.get(0).proposalIndex());
        assertEquals(ProposalOutcome.REQUEST_FAILED, proposals.get(1).outcome());
        assertNull(proposals.get(1).proposalIndex());
        assertNull(proposals.get(1).architecture());

        List<FinalModelRow> finals = run.finalModels().read();
        assertEquals(1, finals.size());
        assertEquals(0.2, finals.get(0).withKd().testMap50());
        assertEquals(31.0, finals.get(0).withKd().seconds());
        assertEquals(0.1, finals.get(0).withoutKd().testMap50());

        List<SpaceSelectionRow> cells = run.spaceSelection().read();
        assertEquals(List.of(1, 2, 3, 4), cells.stream().map(c -> c.cell().rank()).toList());
        assertEquals("stm32f746", cells.get(0).target());

        List<float[]> outputs = run.teacherOutputs().read("fp123");
        assertEquals(2, outputs.size());
        assertEquals(0.5f, outputs.get(0)[0]);
        assertEquals(2f, outputs.get(1)[1]);
        assertNull(run.teacherOutputs().read("another teacher"), "a cache of another teacher is not used");
        assertEquals("golden", run.manifest().json().path("run_id").asText());
    }

    @Test
    void whatARunWritesReadsBackEqualAndAGenerationCommitReplacesIt() {
        SparkNasConfig config = CONFIG;
        Run run = Run.create(spark, results.toString(), "fresh", config, "test", Map.of("run", 1L), line -> { });
        assertTrue(Run.exists(spark, results.toString(), "fresh"));
        assertThrows(IllegalArgumentException.class,
                () -> Run.create(spark, results.toString(), "fresh", config, "test", Map.of(), line -> { }));

        List<CandidateRow> written = new ArrayList<>(golden().candidates().read(1));
        run.candidates().commit(1, written);
        assertEquals(written, run.candidates().read());
        run.candidates().commit(1, written.subList(0, 1));
        assertEquals(written.subList(0, 1), run.candidates().read(), "a generation is replaced whole");
        run.candidates().commit(2, written);
        run.candidates().discardAfter(1);
        assertEquals(List.of(1), run.candidates().generations());

        run.teacherOutputs().write("fp", List.of(new TeacherOutput(0, 0, "a", new float[] {1.5f})));
        assertEquals(1.5f, run.teacherOutputs().read("fp").get(0)[0]);
        assertFalse(run.has("teacher_outputs.staging"), "no staging folder is left behind");
        assertEquals(config.target().name(), run.manifest().configuration(List.of()).target().name());
    }

    @Test
    void executorsReadTheTeacherOutputsTheExecutorsWroteAndRefuseAnotherTeachers() {
        Run run = Run.create(spark, results.toString(), "teacher-outputs", CONFIG, "test", Map.of(), line -> { });
        List<TeacherOutput> computed = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            computed.add(new TeacherOutput(0, i, "image-" + i, new float[] {i, -i / 2f, 0.25f * i}));
        }
        java.util.Collections.shuffle(computed, new java.util.Random(4));
        run.teacherOutputs().write("teacher-a", new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(computed, 3), spark);
        assertTrue(run.teacherOutputs().holds("teacher-a"));
        assertFalse(run.teacherOutputs().holds("teacher-b"));

        io.sparknas.task.TeacherOutputsSource source = new io.sparknas.task.TeacherOutputsSource(
                run.teacherOutputs().location(), "teacher-a", 37, 1);
        List<float[]> read = source.read();
        assertEquals(37, read.size());
        for (int i = 0; i < 37; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {i, -i / 2f, 0.25f * i}, read.get(i),
                    "image " + i + " in image order, whatever order the executors wrote");
            org.junit.jupiter.api.Assertions.assertArrayEquals(read.get(i), run.teacherOutputs().read("teacher-a")
                    .get(i), "the executors read what the driver's codec reads");
        }

        io.sparknas.task.TeacherOutputsSource other = new io.sparknas.task.TeacherOutputsSource(
                run.teacherOutputs().location(), "teacher-b", 37, 1);
        assertFalse(other.matches());
        IllegalStateException refused = assertThrows(IllegalStateException.class, other::read);
        assertTrue(refused.getMessage().contains("does not hold the outputs of this teacher"), refused.getMessage());

        IllegalStateException missing = assertThrows(IllegalStateException.class, () ->
                new io.sparknas.task.TeacherOutputsSource(run.teacherOutputs().location(), "teacher-a", 40, 1).read());
        assertTrue(missing.getMessage().contains("training image 37 are missing"), missing.getMessage());

        List<float[]> golden = new io.sparknas.task.TeacherOutputsSource(golden().teacherOutputs().location(),
                "fp123", 2, 1).read();
        assertEquals(2f, golden.get(1)[1], "a table written before the executors read it themselves");
    }

    @Test
    void teacherOutputsOfAugmentedViewsAreReadViewMajor() {
        Run run = Run.create(spark, results.toString(), "teacher-views", CONFIG, "test", Map.of(), line -> { });
        List<TeacherOutput> computed = new ArrayList<>();
        for (int view = 0; view < 3; view++) {
            for (int i = 0; i < 11; i++) {
                computed.add(new TeacherOutput(view, i, "image-" + i, new float[] {view, i}));
            }
        }
        java.util.Collections.shuffle(computed, new java.util.Random(8));
        run.teacherOutputs().write("teacher-v", new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(computed, 4), spark);
        List<float[]> executors = new io.sparknas.task.TeacherOutputsSource(run.teacherOutputs().location(),
                "teacher-v", 11, 3).read();
        List<float[]> driver = run.teacherOutputs().read("teacher-v");
        assertEquals(33, executors.size());
        for (int k = 0; k < 33; k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {k / 11, k % 11}, executors.get(k),
                    "view " + k / 11 + " of image " + k % 11 + " at view x 11 + image");
            org.junit.jupiter.api.Assertions.assertArrayEquals(executors.get(k), driver.get(k));
        }
        IllegalStateException tooFew = assertThrows(IllegalStateException.class, () ->
                new io.sparknas.task.TeacherOutputsSource(run.teacherOutputs().location(), "teacher-v", 11, 2)
                        .read());
        assertTrue(tooFew.getMessage().contains("view 2 is outside the 2 view(s)"), tooFew.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () ->
                new io.sparknas.task.TeacherOutputsSource(run.teacherOutputs().location(), "teacher-v", 11, 4)
                        .read());
        assertTrue(missing.getMessage().contains("training image 0 in view 3 are missing"), missing.getMessage());
    }

    @Test
    void aFolderWithoutRunJsonIsNotARun() {
        RunNotFoundException missing = assertThrows(RunNotFoundException.class,
                () -> Run.open(spark, results.toString(), "nothing", CONFIG, line -> { }));
        assertTrue(missing.getMessage().contains("no run.json in " + results.resolve("nothing")), missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Run.open(spark, results.toString(), "../escape", CONFIG, line -> { }));
    }
}
