package io.sparknas.finalmodels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.config.FinalSettings;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DetectionDataset;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.search.SearchPipeline;
import io.sparknas.space.HeadSpec;
import io.sparknas.task.NetworkShardContext;
import io.sparknas.task.TeacherArtifact;
import io.sparknas.train.BatchFit;
import io.sparknas.train.DetectionTeacher;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.NetworkTeacher;
import io.sparknas.train.OnnxTeacher;
import io.sparknas.train.TeacherRecipe;
import io.sparknas.train.TeacherSpec;
import io.sparknas.train.TrainingCheckpoint;
import io.sparknas.train.TrainingSettings;
import io.sparknas.train.VitTeacherBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Finds the run's teacher, opened and checked before any student trains: a user's ONNX model, a DL4J teacher file
 * from {@code sparknas teacher train} (with its {@code teacher.json}), or, when none is given, a ViT teacher trained
 * now on the run's dataset (kept in the run folder, reused by a later finalize).
 */
public final class TeacherProvider {

    /** Sidecar file describing a DL4J teacher. */
    public static final String SIDECAR = "teacher.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkNasConfig config;
    private final Consumer<String> progress;

    private final String resultsFolder;
    private final SparkSession spark;

    /** A provider that trains a teacher in this process. */
    public TeacherProvider(SparkNasConfig config, Consumer<String> progress) {
        this(config, progress, null);
    }

    /**
     * A provider that trains a teacher on {@code spark}'s executors, {@code final.teacher.parallelism} shards per
     * step ({@link SparkBatchFit}); null for this process.
     */
    public TeacherProvider(SparkNasConfig config, Consumer<String> progress, SparkSession spark) {
        this(config, progress, spark, config.run().outputDir());
    }

    /**
     * As {@link #TeacherProvider(SparkNasConfig, Consumer, SparkSession)}, for a run written under
     * {@code resultsFolder}, beside which the default teacher cache lives.
     */
    public TeacherProvider(SparkNasConfig config, Consumer<String> progress, SparkSession spark,
                           String resultsFolder) {
        this.config = config;
        this.progress = progress;
        this.spark = spark;
        this.resultsFolder = resultsFolder;
    }

    /**
     * The teacher for students of {@code studentSide} with {@code head}, and its test mAP.
     *
     * @param dl4j     a DL4J teacher file, or null
     * @param onnx     an ONNX teacher file, or null
     * @param trainDir where to train (or find) a ViT teacher when neither is given
     */
    public Resolved resolve(Path dl4j, Path onnx, Path trainDir, int studentSide, HeadSpec head,
                            DetectionDataset data) {
        int grid = studentSide / head.outputStride();
        TeacherArtifact artifact;
        if (onnx != null) {
            byte[] bytes = read(onnx, "teacher ONNX file");
            int side = OnnxTeacher.declaredSide(bytes, onnx.toString(), studentSide);
            artifact = new TeacherArtifact("onnx", bytes, onnx.toString(), side, headFor(head, side, grid));
        } else if (dl4j != null) {
            artifact = dl4jArtifact(dl4j, grid, head);
        } else {
            Path file = trainDir.resolve("teacher.zip");
            if (!Files.isRegularFile(file)) {
                trainOrReuse(trainDir, studentSide * config.finals().teacher().sideFactor(), grid, head, data);
            } else {
                progress.accept("teacher: " + file + " (trained earlier)");
            }
            artifact = dl4jArtifact(file, grid, head);
        }
        artifact = artifact.withFlipAveraged(config.finals().teacher().flipAverage());
        try (DetectionTeacher teacher = artifact.open()) {
            if (artifact.kind().equals("dl4j")) {
                long[] shape = teacher.predict(org.nd4j.linalg.factory.Nd4j.zeros(1, 3, artifact.side(),
                        artifact.side())).shape();
                long[] expected = {1, head.predictionChannels(), grid, grid};
                if (!java.util.Arrays.equals(shape, expected)) {
                    throw new IllegalArgumentException("teacher " + artifact.description() + ": output shape "
                            + java.util.Arrays.toString(shape) + " does not match the students' grid "
                            + java.util.Arrays.toString(expected));
                }
            }
            DetectionMetrics test = new DetectorEvaluator(artifact.head(), 32).evaluate(teacher::predict, data.test(),
                    artifact.side());
            progress.accept(String.format(Locale.ROOT, "teacher: %s at %d px, test mAP@0.5 %.4f", teacher.describe(),
                    artifact.side(), test.map50()));
            return new Resolved(artifact, test.map50());
        }
    }

    /** A teacher ready to ship to executors, and its test mAP@0.5. */
    public record Resolved(TeacherArtifact artifact, double testMap50) {
    }

    /** The students' head on a teacher of {@code side}: same anchors and classes, stride {@code side / grid}. */
    static HeadSpec headFor(HeadSpec head, int side, int grid) {
        if (side % grid != 0) {
            throw new IllegalArgumentException("a teacher of " + side + " px cannot cover the students' " + grid + "x"
                    + grid + " grid with whole patches");
        }
        return new HeadSpec(head.channels(), head.classes(), head.anchors(), side / grid);
    }

    private TeacherArtifact dl4jArtifact(Path file, int grid, HeadSpec head) {
        byte[] bytes = read(file, "teacher file");
        Path sidecar = file.resolveSibling(SIDECAR);
        if (!Files.isRegularFile(sidecar)) {
            throw new IllegalArgumentException("teacher file " + file + " has no " + SIDECAR + " beside it (written by "
                    + "'sparknas teacher train'); for a teacher from elsewhere, export it to ONNX and use --teacher-onnx");
        }
        int side;
        try {
            JsonNode json = JSON.readTree(sidecar.toFile());
            side = json.path("side").asInt(-1);
        } catch (IOException e) {
            throw new IllegalArgumentException(sidecar + ": not JSON: " + e.getMessage(), e);
        }
        if (side <= 0) {
            throw new IllegalArgumentException(sidecar + ": no positive 'side'");
        }
        return new TeacherArtifact("dl4j", bytes, file.toString(), side, headFor(head, side, grid));
    }

    /**
     * The teacher at {@code side} in {@code dir}: copied from the teacher cache when an earlier run trained one with
     * the same data and settings ({@link TeacherCache}), else trained and then kept there.
     */
    private void trainOrReuse(Path dir, int side, int grid, HeadSpec head, DetectionDataset data) {
        TeacherCache cache = TeacherCache.of(config, resultsFolder);
        String key = cacheKey(side, grid, head);
        Path reused = cache == null ? null : cache.restore(key, dir);
        if (reused != null) {
            progress.accept("teacher: reusing " + reused + ", trained earlier with the same data and teacher settings "
                    + "(final.teacher.cache-dir)");
            return;
        }
        train(dir, side, grid, head, data);
        if (cache != null) {
            progress.accept("teacher: kept for later runs in " + cache.store(key, dir));
        }
    }

    /** Everything that decides a trained teacher: the data, the teacher and training settings, side and head. */
    String cacheKey(int side, int grid, HeadSpec head) {
        FinalSettings.TeacherSettings settings = config.finals().teacher();
        return String.join("\n", "data " + config.data(), "side " + side, "grid " + grid,
                "head " + headFor(head, side, grid), "teacher " + settings.spec(), "training " + teacherTraining());
    }

    private TrainingSettings teacherTraining() {
        FinalSettings.TeacherSettings settings = config.finals().teacher();
        return new TrainingSettings(settings.epochs(), config.training().batchSize(),
                config.training().optimizer(), settings.learningRate(), config.training().momentum(),
                config.training().warmupEpochs(), config.training().weightDecay(), settings.patience(),
                config.training().evalEvery(), config.training().augmentation(), config.run().seed());
    }

    /** Trains the ViT teacher at {@code side} for a students' grid of {@code grid}, into {@code dir}. */
    public Path train(Path dir, int side, int grid, HeadSpec head, DetectionDataset data) {
        FinalSettings.TeacherSettings settings = config.finals().teacher();
        HeadSpec teacherHead = headFor(head, side, grid);
        TeacherSpec spec = settings.spec();
        TrainingSettings training = teacherTraining();
        int iterations = (data.train().size() + training.batchSize() - 1) / training.batchSize();
        ComputationGraph network = VitTeacherBuilder.build(side, teacherHead, spec, training.seed(),
                training.updater(iterations), training.weightDecay());
        int tokens = grid * spec.tokensPerCell();
        progress.accept(String.format(Locale.ROOT, "teacher: training a ViT (dim %d, %d blocks, %d heads%s) at %d px, "
                        + "%dx%d tokens of %d px, %,d parameters, %d epochs on %d images", spec.dim(), spec.depth(),
                spec.heads(), spec.convStem() ? ", convolutional stem" : "", side, tokens, tokens, side / tokens,
                network.numParams(), training.epochs(), data.train().size()));
        BatchFit fit = spark == null ? BatchFit.IN_PROCESS : new SparkBatchFit(spark, new NetworkShardContext(
                new TeacherRecipe(side, teacherHead, spec, training.seed(), training.weightDecay()), config.data(),
                side, teacherHead, training.batchSize(), training.augmentation(), training.seed(),
                SearchPipeline.threadsPerTask(spark.sparkContext().getConf(), config.search().threadsPerTask())),
                SparkBatchFit.shards(spark, config.teacherParallelism()));
        DetectorTrainer.Trained trained = new DetectorTrainer(teacherHead, training, null,
                line -> progress.accept("teacher: " + line)).withFit(fit).run(network, side, data.train(), data.val(),
                new TrainingCheckpoint.State(0, -1, 0, List.of()));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("teacher.zip");
            Path partial = dir.resolve("teacher.zip.partial");
            Files.write(partial, NetworkTeacher.toBytes(trained.network()));
            ObjectNode json = JSON.createObjectNode();
            json.put("side", side);
            json.put("grid", grid);
            json.put("dim", spec.dim());
            json.put("depth", spec.depth());
            json.put("heads", spec.heads());
            json.put("mlp_ratio", spec.mlpRatio());
            json.put("stem", spec.convStem() ? "conv" : "patches");
            json.put("tokens_per_cell", spec.tokensPerCell());
            json.put("epochs", trained.result().epochsRun());
            json.put("best_epoch", trained.result().bestEpoch());
            json.put("val_map50", trained.result().bestValMap50());
            json.put("seconds", trained.result().seconds());
            Files.writeString(dir.resolve(SIDECAR), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            progress.accept(String.format(Locale.ROOT, "teacher: best val mAP@0.5 %.4f (epoch %d) in %s -> %s",
                    trained.result().bestValMap50(), trained.result().bestEpoch(),
                    DetectorTrainer.duration(trained.result().seconds()), file));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the teacher to " + dir, e);
        }
    }

    private static byte[] read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " not found: " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
