package io.sparknas.bench;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.search.CandidateLedger;
import io.sparknas.search.SparkScorer;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.SupernetCheckpoint;
import io.sparknas.task.CandidateRequest;
import io.sparknas.task.EvaluationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/**
 * Subnet evaluations per minute through Spark with {@code local[1]} and {@code local[2]}, side by side in one JVM:
 * the same candidates scored by one Spark job per configuration and repetition, medians reported.
 * Configurations: local[1] with 2 ND4J threads per task (what threads-per-task = 0 picks), local[1] with 1 thread,
 * local[2] with 1 thread per task.
 *
 * <pre>java ... io.sparknas.bench.ScoringThroughput CHECKPOINT [CANDIDATES] [REPETITIONS]</pre>
 */
public final class ScoringThroughput {

    private ScoringThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        SparkNasConfig config = ConfigLoader.load(null, List.of("spark.ui=false"));
        SearchSpace cell = SupernetCheckpoint.load(checkpoint, config.space()).supernet().space();
        byte[] bytes = Files.readAllBytes(checkpoint);
        CostModel model = new CostModel(cell, config.target(), config.cost());
        List<CandidateRequest> requests = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        while (requests.size() < count) {
            Architecture candidate = cell.sample(random);
            if (model.evaluate(candidate).feasible()) {
                requests.add(new CandidateRequest(CandidateLedger.candidateId(candidate), candidate, 5));
            }
        }
        System.out.printf(Locale.ROOT, "cell %s px x %s, %d feasible candidates, %d val images, %d recalibration "
                        + "batches of %d, %d repetitions, %d cores%n", cell.resolutions(), cell.widths(), count,
                config.data().synthetic().val(), config.supernet().recalibrationBatches(),
                config.supernet().batchSize(), repetitions, Runtime.getRuntime().availableProcessors());
        Map<String, double[]> perMinute = new LinkedHashMap<>();
        String[][] setups = {{"local[1]", "2"}, {"local[1]", "1"}, {"local[2]", "1"}};
        for (String[] setup : setups) {
            perMinute.put(setup[0] + " x " + setup[1] + " thread(s)", new double[repetitions]);
        }
        for (int rep = 0; rep < repetitions; rep++) {
            for (String[] setup : setups) {
                SparkSession spark = SparkSession.builder().master(setup[0]).appName("scoring-bench")
                        .config("spark.ui.enabled", "false").getOrCreate();
                spark.sparkContext().setLogLevel("WARN");
                EvaluationContext context = new EvaluationContext(cell, config.data(),
                        config.supernet().recalibrationBatches(), config.supernet().batchSize(),
                        Integer.parseInt(setup[1]), false, config.evalEngine());
                try (SparkScorer scorer = new SparkScorer(spark, bytes, context, 0)) {
                    scorer.score(requests.subList(0, 2), "warm-up");
                    long start = System.nanoTime();
                    int scored = scorer.score(requests, "timed").size();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double rate = scored / seconds * 60;
                    perMinute.get(setup[0] + " x " + setup[1] + " thread(s)")[rep] = rate;
                    System.out.printf(Locale.ROOT, "rep %d  %-8s %s thread(s)/task: %d candidates in %.1f s = %.1f "
                            + "evaluations/min%n", rep + 1, setup[0], setup[1], scored, seconds, rate);
                }
                spark.stop();
            }
        }
        double base = median(perMinute.get("local[1] x 1 thread(s)"));
        double auto = median(perMinute.get("local[1] x 2 thread(s)"));
        for (Map.Entry<String, double[]> entry : perMinute.entrySet()) {
            double[] values = entry.getValue().clone();
            Arrays.sort(values);
            System.out.printf(Locale.ROOT, "%-26s median %.1f evaluations/min (range %.1f-%.1f), %.2fx local[1] x 1, "
                            + "%.2fx local[1] x 2%n", entry.getKey(), median(entry.getValue()), values[0],
                    values[values.length - 1], median(entry.getValue()) / base, median(entry.getValue()) / auto);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
