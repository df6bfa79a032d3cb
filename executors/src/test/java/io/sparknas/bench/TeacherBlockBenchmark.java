package io.sparknas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.Split;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.TestSpaces;
import io.sparknas.train.FusedAttentionBlock;
import io.sparknas.train.TeacherSpec;
import io.sparknas.train.TransformerEncoderLayer;
import io.sparknas.train.VitTeacherBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * How fast the ViT teacher's encoder block trains: one block's forward and backward pass on a batch of 32 images'
 * tokens, with its attention written from matrix products (the layer) against ND4J's fused
 * {@code multi_head_dot_product_attention} ({@link FusedAttentionBlock}), alternated rep by rep so both see the same
 * load, for the token counts of one and of four tokens per cell; then whole training steps of the default teacher
 * (160 px, dim 128, 4 blocks) at one and four tokens per cell. Medians of the timed reps after untimed warm-up ones.
 * Writes docs/bench/teacher-block.json (or the path given as the first argument), with the location of the encoder
 * layer's classes it timed, so a run against an earlier build's classes (docs/benchmarks.md) says so.
 *
 * <pre>bench/teacher-block.sh [RECORD] [--reps=15]</pre>
 */
public final class TeacherBlockBenchmark {

    private static final int BATCH = 32;
    private static final int DIM = 128;
    private static final int HEADS = 4;
    private static final int HIDDEN = 256;
    private static final int TEACHER_SIDE = 160;
    private static final int WARMUP = 3;

    private TeacherBlockBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path record = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "docs/bench/teacher-block.json");
        int reps = Arrays.stream(args).filter(a -> a.startsWith("--reps=")).findFirst()
                .map(a -> Integer.parseInt(a.substring("--reps=".length()))).orElse(15);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = BenchRecords.header("teacher-block", "bench/teacher-block.sh", args);
        root.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        root.put("encoder_layer_classes", String.valueOf(TransformerEncoderLayer.class.getProtectionDomain()
                .getCodeSource().getLocation()));
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("batch", BATCH);
        parameters.put("dim", DIM);
        parameters.put("heads", HEADS);
        parameters.put("mlp_hidden", HIDDEN);
        parameters.put("teacher_side", TEACHER_SIDE);
        parameters.put("reps", reps);
        parameters.put("warmup", WARMUP);
        ArrayNode blocks = root.putArray("block_forward_backward_ms");
        for (int tokens : new int[] {25, 100}) {
            double[][] ms = blockTimes(tokens, reps);
            ObjectNode row = blocks.addObject();
            row.put("tokens", tokens);
            row.put("fused_op_median_ms", median(ms[0]));
            row.put("matrix_products_median_ms", median(ms[1]));
            row.put("speedup", median(ms[0]) / median(ms[1]));
            System.out.printf(Locale.ROOT, "block, %d tokens: fused attention op %.1f ms, matrix products %.1f ms "
                    + "(median of %d): %.2fx%n", tokens, median(ms[0]), median(ms[1]), reps, median(ms[0])
                    / median(ms[1]));
        }
        ArrayNode teachers = root.putArray("teacher_training_step");
        for (int perCell : new int[] {1, 2}) {
            double[] seconds = teacherStepSeconds(perCell, Math.max(5, reps / 2));
            ObjectNode row = teachers.addObject();
            row.put("tokens_per_cell", perCell);
            row.put("step_median_ms", median(seconds) * 1000);
            row.put("images_per_second", BATCH / median(seconds));
            System.out.printf(Locale.ROOT, "teacher training step, %d token(s) per cell: %.0f ms, %.1f img/s%n",
                    perCell, median(seconds) * 1000, BATCH / median(seconds));
        }
        Files.createDirectories(record.toAbsolutePath().getParent());
        Files.writeString(record, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        System.out.println("wrote " + record);
    }

    /** Milliseconds per forward and backward pass of one block: [fused op][matrix products], rep by rep. */
    private static double[][] blockTimes(int tokens, int reps) {
        Nd4j.getRandom().setSeed(tokens);
        INDArray input = Nd4j.randn(DataType.FLOAT, BATCH, DIM, tokens);
        Map<String, INDArray> values = FusedAttentionBlock.parameters(DIM, HEADS, HIDDEN, DataType.FLOAT, 5);
        SameDiff[] graphs = {FusedAttentionBlock.graph(input, values, HEADS, HIDDEN, true),
                FusedAttentionBlock.graph(input, values, HEADS, HIDDEN, false)};
        java.util.List<String> wrt = new java.util.ArrayList<>(FusedAttentionBlock.PARAMETERS);
        wrt.add("input");
        double[][] ms = new double[2][reps];
        for (int rep = -WARMUP; rep < reps; rep++) {
            for (int g = 0; g < 2; g++) {
                long start = System.nanoTime();
                graphs[g].calculateGradients(Collections.emptyMap(), wrt);
                if (rep >= 0) {
                    ms[g][rep] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        return ms;
    }

    /** Seconds per training step of the default teacher with {@code perCell} tokens per cell side. */
    private static double[] teacherStepSeconds(int perCell, int reps) {
        HeadSpec students = TestSpaces.standard().head();
        int grid = 80 / students.outputStride();
        HeadSpec head = new HeadSpec(students.channels(), students.classes(), students.anchors(),
                TEACHER_SIDE / grid);
        TeacherSpec spec = new TeacherSpec(DIM, 4, HEADS, HIDDEN / DIM, true, 0, 0, perCell);
        ComputationGraph teacher = VitTeacherBuilder.build(TEACHER_SIDE, head, spec, 1, new Adam(1e-3), 0);
        DataSet batch = new DetectionBatches(new SyntheticDetectionSet(new SyntheticSpec(TEACHER_SIDE, BATCH, 1, 1, 3))
                .split(Split.TRAIN), TEACHER_SIDE, grid, DetectorEvaluator.anchorPairs(head), head.classes(), BATCH,
                Augmentation.NONE, false, 3).next();
        double[] seconds = new double[reps];
        for (int rep = -WARMUP; rep < reps; rep++) {
            long start = System.nanoTime();
            teacher.fit(batch);
            if (rep >= 0) {
                seconds[rep] = (System.nanoTime() - start) / 1e9;
            }
        }
        return seconds;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
