package io.sparknas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.export.EvalEngine;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.SubnetEvaluator;
import io.sparknas.supernet.SubnetScore;
import io.sparknas.supernet.Supernet;
import io.sparknas.supernet.SupernetCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Issue 20's scoring benchmark: the same feasible candidates of a trained supernet's cell scored with inherited
 * weights (BatchNorm recalibration, then val mAP) with the validation pass in DL4J and in ONNX Runtime, side by side
 * in one process with the same threads, after one warm-up evaluation each; several repetitions, medians. Writes
 * docs/bench/onnx-scoring.json (or OUT).
 *
 * <pre>java ... io.sparknas.bench.OnnxScoringBenchmark OUT.json CHECKPOINT [CANDIDATES] [REPETITIONS] [--set k=v ...]</pre>
 */
public final class OnnxScoringBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxScoringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path checkpoint = Path.of(args[1]);
        int count = args.length > 2 && !args[2].startsWith("--") ? Integer.parseInt(args[2]) : 8;
        int repetitions = args.length > 3 && !args[3].startsWith("--") ? Integer.parseInt(args[3]) : 3;
        List<String> overrides = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--set")) {
                overrides.add(args[++i]);
            }
        }
        overrides.add("space.head.anchor-boxes=" + SupernetCheckpoint.anchorBoxes(checkpoint));
        SparkNasConfig config = ConfigLoader.load(null, overrides);
        Supernet supernet = SupernetCheckpoint.load(checkpoint, config.space()).supernet();
        SearchSpace cell = supernet.space();
        CostModel model = new CostModel(cell, config.target(), config.cost());
        DetectionDataset data = config.data().load(DataFiles.local());
        List<Architecture> candidates = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        while (candidates.size() < count) {
            Architecture candidate = cell.sample(random);
            if (model.evaluate(candidate).feasible() && !candidates.contains(candidate)) {
                candidates.add(candidate);
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "cell %s px x %s, %d feasible candidates, %d val images, %d recalibration "
                        + "batches of %d, %d repetitions, %d threads%n", cell.resolutions(), cell.widths(), count,
                data.val().size(), config.supernet().recalibrationBatches(), config.supernet().batchSize(),
                repetitions, threads);
        double[][] perMinute = new double[2][repetitions];
        double[][] maps = new double[2][count];
        EvalEngine[] engines = {EvalEngine.DL4J, EvalEngine.ONNXRUNTIME};
        for (int rep = 0; rep < repetitions; rep++) {
            for (int e = 0; e < engines.length; e++) {
                SubnetEvaluator evaluator = new SubnetEvaluator(supernet, data.train(), data.val(),
                        config.supernet().recalibrationBatches(), config.supernet().batchSize(), 5, engines[e]);
                evaluator.evaluate(candidates.get(0));
                long start = System.nanoTime();
                for (int c = 0; c < count; c++) {
                    SubnetScore score = evaluator.evaluate(candidates.get(c));
                    maps[e][c] = score.map50();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                perMinute[e][rep] = count / seconds * 60;
                System.out.printf(Locale.ROOT, "rep %d  %-11s %d candidates in %.1f s = %.1f evaluations/min%n",
                        rep + 1, engines[e].configName(), count, seconds, perMinute[e][rep]);
            }
        }
        double maxDifference = 0;
        for (int c = 0; c < count; c++) {
            maxDifference = Math.max(maxDifference, Math.abs(maps[0][c] - maps[1][c]));
        }
        double dl4j = median(perMinute[0]);
        double ort = median(perMinute[1]);
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "onnx-scoring");
        root.put("command", "bench/onnx-scoring.sh " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
        root.put("date", Instant.now().toString());
        root.put("git_revision", BenchRecords.gitRevision());
        root.put("cores", threads);
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("checkpoint", checkpoint.toString());
        parameters.put("cell", cell.resolutions() + " px x " + cell.widths());
        parameters.put("candidates", count);
        parameters.put("repetitions", repetitions);
        parameters.put("val_images", data.val().size());
        parameters.put("recalibration_batches", config.supernet().recalibrationBatches());
        parameters.put("batch_size", config.supernet().batchSize());
        ArrayNode rows = root.putArray("candidates");
        for (int c = 0; c < count; c++) {
            ObjectNode row = rows.addObject();
            row.put("architecture", candidates.get(c).shortName());
            row.put("mmacs", model.evaluate(candidates.get(c)).macs() / 1e6);
            row.put("dl4j_map50", maps[0][c]);
            row.put("ort_map50", maps[1][c]);
        }
        root.set("dl4j_evals_per_min_runs", JSON.valueToTree(perMinute[0]));
        root.set("ort_evals_per_min_runs", JSON.valueToTree(perMinute[1]));
        root.put("dl4j_evals_per_min", dl4j);
        root.put("ort_evals_per_min", ort);
        root.put("speedup", ort / dl4j);
        root.put("max_map_difference", maxDifference);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        System.out.printf(Locale.ROOT, "DL4J %.1f, ONNX Runtime %.1f evaluations/min (median): %.2fx; largest mAP@0.5 "
                + "difference %.5f; wrote %s%n", dl4j, ort, ort / dl4j, maxDifference, out);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
