package io.sparknas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.search.SparkSandwichSteps;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.SandwichStepRunner;
import io.sparknas.supernet.Supernet;
import io.sparknas.supernet.SupernetEpoch;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.supernet.SupernetTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Issue 19's benchmark: data-parallel supernet training on Spark, side by side in one JVM, over the default
 * search's cell (80 px x 0.9), target and data, the same steps for every setup: {@code local[1]} with one shard and
 * 2 ND4J threads (what threads-per-task = 0 picks there), {@code local[1]} with one shard and 1 thread (one core),
 * and {@code local[2]} with two shards of 1 thread each; then {@code local[1]} x 2 threads again with another seed,
 * to see how far loss curves move with the seed alone. Reports subnet-images/s (median over the epochs after the
 * first, which builds the networks), each epoch's loss, bytes moved per step and the seconds per step spent
 * computing and communicating. Writes docs/bench/supernet-scaling.json (or OUT).
 *
 * <pre>java ... io.sparknas.bench.SupernetScalingBenchmark OUT.json [--epochs 4] [--steps 16] [--set key=value ...]</pre>
 */
public final class SupernetScalingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SupernetScalingBenchmark() {
    }

    /** One setup's figures. */
    private record Measured(String name, String master, int shards, int threads, long seed, double imagesPerSecond,
                            List<Double> losses, double bytesPerStep, double computeSecondsPerStep,
                            double communicationSecondsPerStep) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int epochs = 4;
        int steps = 16;
        List<String> overrides = new ArrayList<>(List.of("spark.ui=false", "supernet.eval-every=0"));
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--set" -> overrides.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        overrides.add("supernet.epochs=" + epochs);
        overrides.add("supernet.steps-per-epoch=" + steps);
        long start = System.nanoTime();
        SparkNasConfig config = ConfigLoader.load(null, overrides);
        SearchSpace cell = config.space().narrow(80, 0.9);
        CostModel costModel = new CostModel(cell, config.target(), config.cost());
        DetectionDataset data = config.data().load(DataFiles.local());
        int cores = Runtime.getRuntime().availableProcessors();
        long weightBytes = Supernet.initialize(cell, 1, new NoOp(), config.supernet().weightSharing()).toBytes().length;
        System.out.printf(Locale.ROOT, "cell 80 px x 0.90, %d epochs x %d steps x %d images, %d random subnets, "
                        + "supernet %.1f MB, %d cores%n", epochs, steps, config.supernet().batchSize(),
                config.supernet().randomSubnets(), weightBytes / 1e6, cores);

        List<Measured> measured = new ArrayList<>();
        SupernetSettings settings = config.supernet();
        measured.add(measure("local1_threads2", "local[1]", 1, 2, settings, cell, costModel, config, data));
        measured.add(measure("local1_threads1", "local[1]", 1, 1, settings, cell, costModel, config, data));
        measured.add(measure("local2_threads1", "local[2]", 2, 1, settings, cell, costModel, config, data));
        SupernetSettings reseeded = new SupernetSettings(settings.epochs(), settings.batchSize(),
                settings.stepsPerEpoch(), settings.randomSubnets(), settings.learningRate(), settings.warmupEpochs(),
                settings.weightDecay(), settings.progressiveShrinking(), settings.recalibrationBatches(),
                settings.evalEvery(), settings.augmentation(), settings.seed() + 1, settings.weightSharing(),
                settings.inplaceDistillation(), settings.zeroKernelRings());
        measured.add(measure("local1_threads2_other_seed", "local[1]", 1, 2, reseeded, cell, costModel, config,
                data));

        Measured one = measured.get(0);
        Measured two = measured.get(2);
        Measured other = measured.get(3);
        double seedGap = maxGap(one.losses(), other.losses());
        double shardGap = maxGap(one.losses(), two.losses());
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "supernet-scaling");
        root.put("command", "bench/supernet-scaling.sh " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
        root.put("date", Instant.now().toString());
        root.put("git_revision", BenchRecords.gitRevision());
        root.put("cores", cores);
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("cell", "80 px x 0.9");
        parameters.put("epochs", epochs);
        parameters.put("steps_per_epoch", steps);
        parameters.put("batch_size", settings.batchSize());
        parameters.put("members_per_step", settings.randomSubnets() + 2);
        parameters.put("supernet", settings.toString());
        ArrayNode setups = root.putArray("setups");
        for (Measured m : measured) {
            ObjectNode row = setups.addObject();
            row.put("name", m.name());
            row.put("master", m.master());
            row.put("shards", m.shards());
            row.put("threads_per_task", m.threads());
            row.put("seed", m.seed());
            row.put("subnet_images_per_s", m.imagesPerSecond());
            row.set("epoch_losses", JSON.valueToTree(m.losses()));
            row.put("bytes_per_step", m.bytesPerStep());
            row.put("compute_seconds_per_step", m.computeSecondsPerStep());
            row.put("communication_seconds_per_step", m.communicationSecondsPerStep());
        }
        root.put("supernet_bytes", weightBytes);
        root.put("local1_subnet_images_per_s", one.imagesPerSecond());
        root.put("local1_one_thread_subnet_images_per_s", measured.get(1).imagesPerSecond());
        root.put("local2_subnet_images_per_s", two.imagesPerSecond());
        root.put("speedup", two.imagesPerSecond() / one.imagesPerSecond());
        root.put("speedup_over_one_core", two.imagesPerSecond() / measured.get(1).imagesPerSecond());
        root.put("bytes_per_step", two.bytesPerStep());
        root.put("compute_seconds_per_step", two.computeSecondsPerStep());
        root.put("communication_seconds_per_step", two.communicationSecondsPerStep());
        root.put("loss_gap_two_shards", shardGap);
        root.put("loss_gap_other_seed", seedGap);
        root.put("seconds", (System.nanoTime() - start) / 1e9);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        System.out.printf(Locale.ROOT, "speedup local[2] / local[1]: %.2fx (%.1f vs %.1f subnet-img/s); over one core "
                        + "%.2fx; loss gap 2 shards %.3f vs other seed %.3f; %.2f MB per step; wrote %s%n",
                two.imagesPerSecond() / one.imagesPerSecond(), two.imagesPerSecond(), one.imagesPerSecond(),
                two.imagesPerSecond() / measured.get(1).imagesPerSecond(), shardGap, seedGap,
                two.bytesPerStep() / 1e6, out);
    }

    private static Measured measure(String name, String master, int shards, int threads, SupernetSettings settings,
                                    SearchSpace cell, CostModel costModel, SparkNasConfig config,
                                    DetectionDataset data) {
        SparkSession spark = SparkSession.builder().master(master).appName("supernet-scaling")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<SparkSandwichSteps> runners = new ArrayList<>();
        SandwichStepRunner.Factory factory = (training, train) -> {
            SparkSandwichSteps runner = new SparkSandwichSteps(spark, training, config.data(), shards, threads);
            runners.add(runner);
            return runner;
        };
        SupernetTrainer.Trained trained = new SupernetTrainer(cell, settings, null,
                line -> System.out.println(name + ": " + line), () -> { }, costModel).withSteps(factory)
                .train(data.train(), data.val());
        spark.stop();
        List<SupernetEpoch> history = trained.history();
        double[] rates = history.stream().skip(1)
                .mapToDouble(e -> e.subnetSteps() * (double) settings.batchSize() / e.seconds()).toArray();
        int stepsDone = history.stream().skip(1).mapToInt(e -> e.subnetSteps() / (settings.randomSubnets() + 2)).sum();
        double seconds = history.stream().skip(1).mapToDouble(SupernetEpoch::seconds).sum();
        double communication = history.stream().skip(1).mapToDouble(SupernetEpoch::communicationSeconds).sum();
        return new Measured(name, master, shards, threads, settings.seed(), median(rates),
                history.stream().map(SupernetEpoch::loss).toList(), runners.get(0).bytesPerStep(),
                (seconds - communication) / stepsDone, communication / stepsDone);
    }

    private static double maxGap(List<Double> a, List<Double> b) {
        double gap = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            gap = Math.max(gap, Math.abs(a.get(i) - b.get(i)) / a.get(i));
        }
        return gap;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
