package io.sparknas.search;

import io.sparknas.run.TeacherOutputsCache;
import io.sparknas.run.Run;
import io.sparknas.run.FinalModelRow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.HeadSpec;
import io.sparknas.train.DistillationLossLayer;
import io.sparknas.train.OnnxModels;
import io.sparknas.train.OnnxTeacher;
import io.sparknas.train.TeacherPredictions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparknas finalize} on a tiny search run: the rows of {@code final_models/}, the cached teacher outputs,
 * the trained models, a teacher trained by {@code sparknas teacher train} (teaching on augmented views), and ONNX
 * teachers that are missing or of the wrong shape, refused before any training.
 */
class FinalizeCommandTest {

    @TempDir
    static Path shared;

    private static Path results;
    private static String[] tiny;
    private static Path checkpoint;

    @BeforeAll
    static void aTinySearchRun() throws IOException {
        TinySearch.Fixture fixture = TinySearch.prepare(shared);
        checkpoint = fixture.checkpoint();
        results = shared.resolve("results");
        tiny = new String[] {"--target", fixture.target().toString(), "--output", results.toString(), "--set",
            "spark.master=\"local[2]\"", "--set", "train.batch-size=8"};
        TinySearch.Result search = TinySearch.run(with("search", "--supernet", fixture.checkpoint().toString(),
                "--population", "6", "--generations", "1", "--run-id", "tiny"));
        assertEquals(0, search.status(), search.err() + search.out());
        TinySearch.stopSpark();
    }

    private static String[] with(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(tiny));
        return all.toArray(String[]::new);
    }

    @AfterEach
    void stopSpark() {
        TinySearch.stopSpark();
    }

    private static SparkNasConfig config() {
        return ConfigLoader.load(null, List.of(TinySearch.TINY[1], TinySearch.TINY[3], TinySearch.TINY[5],
                TinySearch.TINY[7]));
    }

    @Test
    void anOnnxTeacherIsCheckedCachedAndEveryChosenCandidateGetsARowAndTwoModels() throws Exception {
        HeadSpec head = config().space().head();
        Path onnx = shared.resolve("pooled.onnx");
        Files.write(onnx, OnnxModels.pooledConvolution(64, 16, head.predictionChannels(), 3));
        // on the plain images, whose teacher outputs this test recomputes (augmented views: the test below)
        TinySearch.Result result = TinySearch.run(with("finalize", "--run", "tiny", "--top", "2", "--epochs", "1",
                "--teacher-onnx", onnx.toString(), "--set", "final.augmented-views=0"));
        assertEquals(0, result.status(), result.err() + result.out());
        assertTrue(result.out().contains("finalize: 2 candidate(s) x 1 seed(s)"), result.out());
        for (int rank = 1; rank <= 2; rank++) {
            for (String distillation : List.of("without", "with")) {
                String prefix = "final rank " + rank + " seed 1 " + distillation + " distillation: ";
                assertTrue(result.out().contains(prefix + "epoch 1/1 "), "each training's epoch lines reach the "
                        + "driver's console while it runs, named: " + prefix + "\n" + result.out());
            }
        }

        String runDir = results.resolve("tiny").toString();
        SparkSession spark = SparkSession.active();
        List<Row> candidates = spark.read().parquet(runDir + "/candidates").where("feasible and map50 is not null")
                .orderBy(org.apache.spark.sql.functions.col("map50").desc(), org.apache.spark.sql.functions.col(
                        "candidate_id")).limit(2).collectAsList();
        List<Row> rows = spark.read().parquet(runDir + "/" + Run.FINAL_MODELS).orderBy("rank").collectAsList();
        assertEquals(Arrays.asList(FinalModelRow.CODEC.schema().fieldNames()), Arrays.asList(rows.get(0).schema()
                .fieldNames()));
        assertEquals(2, rows.size());
        DetectionDataset data = config().data().load(DataFiles.local());
        double teacherMap;
        List<float[]> recomputed;
        try (OnnxTeacher teacher = new OnnxTeacher(Files.readAllBytes(onnx), onnx.toString(), 64, head)) {
            teacherMap = new DetectorEvaluator(head, 32).evaluate(teacher::predict, data.test(), 64).map50();
            recomputed = TeacherPredictions.compute(teacher, data.train(), 64, head, 5);
        }
        for (int i = 0; i < 2; i++) {
            Row row = rows.get(i);
            assertEquals(i + 1, row.<Integer>getAs("rank"));
            assertEquals(candidates.get(i).<String>getAs("candidate_id"), row.getAs("candidate_id"),
                    "the best by val mAP, in order");
            assertEquals(candidates.get(i).<Long>getAs("macs"), row.<Long>getAs("macs"));
            assertEquals("scratch", row.getAs("init"));
            assertEquals(1, row.<Integer>getAs("epochs_run_with_kd"));
            for (String column : List.of("test_map50_without_kd", "test_map50_with_kd", "val_map50_with_kd")) {
                double value = row.<Double>getAs(column);
                assertTrue(value >= 0 && value <= 1, column + " = " + value);
            }
            assertEquals(teacherMap, row.<Double>getAs("teacher_test_map50"), 1e-9);
            for (String variant : List.of("without_kd", "with_kd")) {
                String artifact = row.<String>getAs("artifact_" + variant);
                Path file = Path.of(artifact.replaceFirst("^file:", ""));
                assertTrue(Files.isRegularFile(file), variant + ": " + file);
                ComputationGraph model = ModelSerializer.restoreComputationGraph(file.toFile(), false);
                org.nd4j.linalg.api.ndarray.INDArray images = org.nd4j.linalg.factory.Nd4j.rand(2, 3, 64, 64);
                org.nd4j.linalg.api.ndarray.INDArray expected = model.outputSingle(images);
                assertArrayEquals(new long[] {2, head.predictionChannels(), 4, 4}, expected.shape());
                assertFalse(model.getLayer("yolo").conf().getLayer() instanceof DistillationLossLayer,
                        "a plain detector whichever loss trained it");
                assertTrue(model.getLayer("yolo").conf().getLayer() instanceof CnnLossLayer);

                String base = artifact.substring(0, artifact.length() - ".zip".length());
                assertEquals(base + ".onnx", row.getAs("onnx_" + variant), "the fp32 export beside the model");
                assertEquals(base + ".int8.onnx", row.getAs("onnx_int8_" + variant), "the int8 export beside it");
                String calibration = row.getAs("int8_calibration_" + variant);
                assertTrue(List.of("min-max", "percentile", "mse").contains(calibration), calibration);
                byte[] fp32 = Files.readAllBytes(Path.of((base + ".onnx").replaceFirst("^file:", "")));
                try (io.sparknas.export.OnnxPredictor onnxModel = new io.sparknas.export.OnnxPredictor(fp32, 1)) {
                    org.nd4j.linalg.api.ndarray.INDArray actual = onnxModel.predict(images);
                    double scale = expected.norm2Number().doubleValue() / Math.sqrt(expected.length());
                    assertTrue(actual.sub(expected).amaxNumber().doubleValue() <= 1e-4 * Math.max(1, scale),
                            "the fp32 ONNX model computes what the trained DL4J model does (" + variant + ")");
                }
                byte[] int8 = Files.readAllBytes(Path.of((base + ".int8.onnx").replaceFirst("^file:", "")));
                double int8Map = row.<Double>getAs("int8_test_map50_" + variant);
                assertTrue(int8Map >= 0 && int8Map <= 1, "int8 " + variant + " = " + int8Map);
                try (io.sparknas.export.OnnxPredictor quantized = io.sparknas.export.OnnxPredictor.int8(int8, 1)) {
                    io.sparknas.eval.DetectionMetrics test = new DetectorEvaluator(head, 32).evaluate(
                            quantized::predict, data.test(), 64);
                    assertEquals(test.map50(), int8Map, 1e-9, "the recorded int8 figure is the int8 file's");
                    assertEquals(test.mapCoco(), row.<Double>getAs("int8_test_map_coco_" + variant), 1e-9);
                }
                assertEquals(base + "-c", row.getAs("c_model_" + variant), "the C export beside the model");
                Path cModel = Path.of((base + "-c").replaceFirst("^file:", ""));
                io.sparknas.export.HostCheck.Outcome host = io.sparknas.export.HostCheck.compileAndRun(cModel);
                assertEquals(0, host.exitCode(), variant + ": " + host.output());
                assertTrue(host.output().matches("(?s)host check: [1-9]\\d* images, [1-9]\\d* output bytes, 0 differ.*"), "the final model's C code computes what the Java "
                        + "integer reference computes: " + host.output());
            }
        }
        List<float[]> cached = TinySearch.open(results, "tiny").teacherOutputs().read(readFingerprint(runDir));
        assertEquals(recomputed.size(), cached.size());
        for (int i = 0; i < cached.size(); i++) {
            assertArrayEquals(recomputed.get(i), cached.get(i), 1e-5f, "image " + i);
        }
        TinySearch.stopSpark();

        Path models = results.resolve("tiny").resolve(Run.MODELS);
        Path record;
        try (java.util.stream.Stream<Path> files = Files.list(models)) {
            record = files.filter(f -> f.getFileName().toString().endsWith("-kd-seed1.json")).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("every trained model has its record beside it"));
        }
        Files.delete(record);
        TinySearch.Result resumed = TinySearch.run(with("finalize", "--run", "tiny", "--top", "2", "--epochs", "1",
                "--teacher-onnx", onnx.toString(), "--set", "final.augmented-views=0"));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("finalize: 4 trainings in ") && resumed.out().contains("(3 reused from an "
                + "earlier finalize of this run"), "a finalize run again trains only what is missing: " + resumed.out());
        List<Row> again2 = SparkSession.active().read().parquet(runDir + "/" + Run.FINAL_MODELS).orderBy("rank")
                .collectAsList();
        for (int i = 0; i < 2; i++) {
            for (String column : List.of("test_map50_without_kd", "test_map50_with_kd", "val_map50_with_kd",
                    "int8_test_map50_without_kd", "int8_test_map50_with_kd")) {
                assertEquals(rows.get(i).<Double>getAs(column), again2.get(i).<Double>getAs(column), 1e-9, column);
            }
        }
        assertTrue(Files.isRegularFile(record), "the retrained model has its record again");
        TinySearch.stopSpark();

        Path exported = shared.resolve("rank2-int8.onnx");
        TinySearch.Result export = TinySearch.run(with("export", "--run", "tiny", "--rank", "2", "--format",
                "onnx-int8", "--calibration-images", "8", "--out", exported.toString()));
        assertEquals(0, export.status(), export.err() + export.out());
        assertTrue(export.out().contains("final model rank 2, seed 1, with") && export.out().contains("calibration kept"),
                export.out());
        try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(
                exported.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
            assertEquals(io.sparknas.space.ArchitectureJson.encode(io.sparknas.space.ArchitectureJson.decode(
                            rows.get(1).<String>getAs("architecture"))),
                    session.getMetadata().getCustomMetadata().get("sparknas.architecture"));
        }
        TinySearch.Result noSuchRank = TinySearch.run(with("export", "--run", "tiny", "--rank", "9", "--out",
                shared.resolve("none.onnx").toString()));
        assertEquals(2, noSuchRank.status());
        assertTrue(noSuchRank.err().contains("--rank 9: the run's final models have ranks [1, 2]"), noSuchRank.err());
        Path manifest = results.resolve("tiny/run.json");
        String recorded = Files.readString(manifest);
        String withGridCellAnchors = recorded.replaceFirst("\"anchor-boxes\"\\s*:", "\"anchors\":");
        assertTrue(!withGridCellAnchors.equals(recorded), "the recorded run has anchor boxes");
        Path checksum = results.resolve("tiny/.run.json.crc");
        byte[] sum = Files.readAllBytes(checksum);
        Files.delete(checksum);
        Files.writeString(manifest, withGridCellAnchors);
        try {
            TinySearch.Result old = TinySearch.run(with("export", "--run", "tiny", "--out",
                    shared.resolve("old.onnx").toString()));
            assertEquals(2, old.status(), old.out());
            assertTrue(old.err().contains("--run tiny was recorded before anchors were fractions of the image side"),
                    old.err());
            assertFalse(Files.exists(shared.resolve("old.onnx")), "nothing written");
        } finally {
            Files.writeString(manifest, recorded);
            Files.write(checksum, sum);
        }
        TinySearch.stopSpark();

        TinySearch.Result again = TinySearch.run(with("finalize", "--run", "tiny", "--top", "1", "--epochs", "1",
                "--teacher-onnx", onnx.toString(), "--set", "final.init=inherited", "--supernet",
                checkpoint.toString(), "--set", "final.augmented-views=0"));
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("teacher outputs: " + data.train().size() + " images from "),
                "the cache is used: " + again.out());
        assertTrue(again.out().contains("from the supernet's weights"), again.out());
        Row inherited = SparkSession.active().read().parquet(runDir + "/" + Run.FINAL_MODELS).collectAsList()
                .get(0);
        assertEquals("inherited", inherited.getAs("init"));
        assertEquals(candidates.get(0).<String>getAs("candidate_id"), inherited.getAs("candidate_id"));
        TinySearch.stopSpark();

        TinySearch.Result ownSupernet = TinySearch.run(with("finalize", "--run", "tiny", "--top", "1", "--epochs",
                "1", "--teacher-onnx", onnx.toString(), "--set", "final.init=inherited"));
        assertEquals(0, ownSupernet.status(), "without --supernet, the one the run was searched with: "
                + ownSupernet.err());
        TinySearch.stopSpark();

        TinySearch.Result otherData = TinySearch.run(with("finalize", "--run", "tiny", "--teacher-onnx",
                onnx.toString(), "--set", "data.synthetic.seed=5"));
        assertEquals(2, otherData.status());
        assertTrue(otherData.err().matches("(?s).*finalize: the command line would change data.synthetic.seed from "
                + "\\d+ to 5, which the run recorded in.*"), otherData.err());
    }

    private static String readFingerprint(String runDir) throws IOException {
        return Files.readString(Path.of(runDir, TeacherOutputsCache.FOLDER, TeacherOutputsCache.FINGERPRINT));
    }

    @Test
    void aMissingOrMisshapenOnnxTeacherIsRefusedBeforeAnyTraining() throws IOException {
        Path missing = shared.resolve("nowhere.onnx");
        TinySearch.Result absent = TinySearch.run(with("finalize", "--run", "nothing", "--teacher-onnx",
                missing.toString()));
        assertEquals(2, absent.status());
        assertTrue(absent.err().contains("no run.json in " + results.resolve("nothing")), absent.err());

        TinySearch.Result notFound = TinySearch.run(with("finalize", "--run", "tiny", "--teacher-onnx",
                missing.toString()));
        assertEquals(2, notFound.status());
        assertTrue(notFound.err().contains("teacher ONNX file not found: " + missing), notFound.err());

        Path identity = shared.resolve("identity.onnx");
        Files.write(identity, OnnxModels.identity(64));
        TinySearch.Result wrong = TinySearch.run(with("finalize", "--run", "tiny", "--teacher-onnx",
                identity.toString()));
        assertEquals(2, wrong.status());
        assertTrue(wrong.err().contains("ONNX teacher " + identity + ": output shape [1, 3, 64, 64] does not match "
                + "the students' grid: expected [1, 27, 4, 4]"), wrong.err());
        assertFalse(wrong.out().contains("finalize:"), "nothing was trained");
    }

    /** The ViT teacher at twice the students' side also teaches on augmented views, its outputs cached per view. */
    @Test
    void aTeacherTrainedBySparknasTeacherTrainTeachesTheBestCandidate() throws IOException {
        Path teacherDir = shared.resolve("vit");
        TinySearch.Result trained = TinySearch.run("teacher", "train", "--out", teacherDir.toString(),
                "--student-side", "64", "--epochs", "1", "--set", "final.teacher.dim=16", "--set",
                "final.teacher.depth=1", "--set", "final.teacher.heads=2", "--set", "train.batch-size=8", "--set",
                "final.teacher.cache-dir=" + shared.resolve("teachers"));
        assertEquals(0, trained.status(), trained.err() + trained.out());
        assertTrue(trained.out().contains("teacher: training a ViT (dim 16, 1 blocks, 2 heads, convolutional stem) at "
                + "128 px, 4x4 tokens of 32 px"), trained.out());
        String json = Files.readString(teacherDir.resolve("teacher.json"));
        assertTrue(json.contains("\"side\" : 128") && json.contains("\"grid\" : 4"), json);

        TinySearch.Result result = TinySearch.run(with("finalize", "--run", "tiny", "--epochs", "1", "--teacher",
                teacherDir.resolve("teacher.zip").toString(), "--set", "final.augmented-views=2"));
        assertEquals(0, result.status(), result.err() + result.out());
        int images = config().data().load(DataFiles.local()).train().size();
        assertTrue(result.out().contains("teacher outputs: " + images + " images x 2 augmented views in "),
                result.out());
        List<Row> rows = SparkSession.active().read().parquet(results.resolve("tiny/" + Run.FINAL_MODELS)
                .toString()).orderBy("rank").collectAsList();
        assertEquals(1, rows.size());
        assertEquals(teacherDir.resolve("teacher.zip").toString(), rows.get(0).getAs("teacher"));
        assertTrue(rows.get(0).<Double>getAs("test_map50_with_kd") >= 0, "trained with distillation on the views");
        List<Row> views = SparkSession.active().read().parquet(results.resolve("tiny/teacher_outputs").toString())
                .groupBy("view").count().orderBy("view").collectAsList();
        assertEquals(2, views.size(), "the teacher's outputs for both views (at its 128 px, the students at 64)");
        for (int view = 0; view < 2; view++) {
            assertEquals(view, views.get(view).<Integer>getAs("view"));
            assertEquals(images, views.get(view).<Long>getAs("count"));
        }
    }

    @Test
    void aSearchEndsByFinalizingWhenAfterSearchIsOn() {
        // the default target (not the tight one), where a MobileNetV2-style baseline fits at 64 px
        TinySearch.Result result = TinySearch.runFinalizingAfterSearch("search", "--supernet",
                checkpoint.toString(), "--output", results.toString(), "--set", "spark.master=\"local[2]\"", "--set",
                "train.batch-size=8", "--set", "final.baseline=true", "--population", "4", "--generations", "0",
                "--run-id", "after", "--set", "final.epochs=1", "--set", "final.teacher.epochs=1", "--set",
                "final.teacher.dim=16", "--set", "final.teacher.depth=1", "--set", "final.teacher.heads=2");
        assertEquals(0, result.status(), result.err() + result.out());
        assertTrue(result.out().contains("finalize (final.after-search): the best 1 candidate(s), 1 seed(s), 1 epochs"),
                result.out());
        assertTrue(result.out().contains("teacher: training a ViT (dim 16, 1 blocks, 2 heads, convolutional stem) at 128 px"),
                "no teacher given: one is trained into the run folder: " + result.out());
        assertTrue(Files.isRegularFile(results.resolve("after/teacher/teacher.zip")));
        List<Row> rows = SparkSession.active().read().parquet(results.resolve("after/" + Run.FINAL_MODELS)
                .toString()).orderBy("rank").collectAsList();
        assertEquals(2, rows.size(), "the best candidate and the baseline, which fits the default target");
        Row baseline = rows.get(0);
        assertEquals(0, baseline.<Integer>getAs("rank"));
        assertEquals("baseline", baseline.getAs("proposer"));
        io.sparknas.space.Architecture architecture = io.sparknas.space.ArchitectureJson.decode(
                baseline.getAs("architecture"));
        assertEquals(64, architecture.resolution(), "at the chosen candidate's resolution");
        for (java.util.List<io.sparknas.space.Block> stage : architecture.stages()) {
            for (io.sparknas.space.Block block : stage) {
                assertEquals(new io.sparknas.space.Block(io.sparknas.space.ConvType.MBCONV, 3, 6, block.skip()), block);
            }
        }
        assertTrue(result.out().contains("finalize: baseline MobileNetV2-style (MBConv e6 k3, deepest) r64"),
                result.out());
        assertNull(baseline.getAs("test_map50_with_kd"), "the baseline trains without distillation only by default");
        assertNull(baseline.getAs("artifact_with_kd"));
        assertTrue(baseline.<Double>getAs("test_map50_without_kd") >= 0);
        assertTrue(rows.get(1).<Double>getAs("test_map50_with_kd") >= 0, "the found model trains both ways");
        assertTrue(result.out().contains("the found model against the MobileNetV2-style baseline (rank 0), both without "
                + "distillation: test mAP@0.5"), result.out());
        assertTrue(result.out().contains("deploy: ") && result.out().contains("scripts/mcu-check.sh"), result.out());
        assertTrue(result.out().contains("report: " + results.resolve("after/report.html")), result.out());
        assertTrue(readReport("after").contains("<td>not trained</td>"),
                "the search wrote the report, which shows the baseline's distilled training as not trained");
    }

    private String readReport(String runId) {
        try {
            return Files.readString(results.resolve(runId + "/report.html"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theReportIsOneHtmlFileWithItsPlotsAndBadRunFoldersGetOneClearError() throws Exception {
        TinySearch.Result report = TinySearch.run(with("report", "--run", "tiny"));
        assertEquals(0, report.status(), report.err() + report.out());
        Path file = results.resolve("tiny/report.html");
        String html = Files.readString(file);
        java.util.regex.Matcher images = java.util.regex.Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"")
                .matcher(html);
        int count = 0;
        while (images.find()) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    java.util.Base64.getDecoder().decode(images.group(1))));
            assertEquals(900, image.getWidth(), "plot " + count + " is a real PNG");
            count++;
        }
        assertTrue(count >= 6, "3 Pareto fronts, progress, children not scored, memory profile: " + count);
        assertTrue(html.contains("duplicate and over-budget children per generation"), "the generations/ chart");
        for (String section : List.of("Pareto fronts", "Search progress", "Stage 1", "memory profile",
                "Final models", "Configuration and provenance", "&quot;run_id&quot; : &quot;tiny&quot;")) {
            assertTrue(html.contains(section), section);
        }
        TinySearch.stopSpark();

        TinySearch.Result missing = TinySearch.run(with("report", "--run", "gone"));
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no run.json in " + results.resolve("gone")), missing.err());

        Path corrupt = results.resolve("corrupt");
        Files.createDirectories(corrupt.resolve("candidates/generation=0"));
        Files.copy(results.resolve("tiny/run.json"), corrupt.resolve("run.json"));
        Files.writeString(corrupt.resolve("candidates/generation=0/part-00000.parquet"), "not parquet at all");
        TinySearch.Result broken = TinySearch.run(with("report", "--run", "corrupt"));
        assertEquals(2, broken.status());
        assertTrue(broken.err().contains(corrupt + "/candidates cannot be read (corrupt or not a SparkNAS table)"),
                broken.err());
    }

    @Test
    void theZeppelinNotesSqlParagraphsRunOnTheRunsTables() throws IOException {
        com.fasterxml.jackson.databind.JsonNode note = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Path.of("../notebooks/sparknas-analysis.zpln").toFile());
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        int ran = 0;
        int absent = 0;
        for (com.fasterxml.jackson.databind.JsonNode paragraph : note.get("paragraphs")) {
            String text = paragraph.get("text").asText();
            assertTrue(text.startsWith("%spark.sql\n"), paragraph.get("title").asText());
            String sql = text.substring("%spark.sql\n".length()).replace("${results=results}", results.toString())
                    .replace("${run=RUN_ID}", "tiny");
            String table = sql.replaceAll("(?s).*?tiny/([a-z_]+)`.*", "$1");
            if (!Files.isDirectory(results.resolve("tiny").resolve(table))) {
                absent++;
                continue;
            }
            List<Row> rows = spark.sql(sql).collectAsList();
            if (paragraph.get("title").asText().startsWith("Budget violations")) {
                long infeasible = spark.read().parquet(results.resolve("tiny/candidates").toString())
                        .where("not feasible").count();
                assertEquals(infeasible, rows.stream().mapToLong(r -> r.getLong(1)).sum(), "violations counted");
            } else {
                assertFalse(rows.isEmpty(), paragraph.get("title").asText() + " returned rows");
            }
            ran++;
        }
        assertTrue(ran >= 7, "the candidates paragraphs at least: " + ran + " ran, " + absent + " tables absent");
    }
}
