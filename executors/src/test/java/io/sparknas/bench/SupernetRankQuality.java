package io.sparknas.bench;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.Macs;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import io.sparknas.supernet.SubnetEvaluator;
import io.sparknas.supernet.SubnetScore;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.supernet.SupernetTrainer;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.TrainingResult;
import io.sparknas.train.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rank quality of the weight-sharing supernet: does the val mAP a subnet gets with inherited weights
 * order architectures the way training them on their own would? A supernet is only useful for search if it does,
 * since the search keeps the subnets it scores best.
 *
 * <p>The benchmark trains a supernet in one (resolution, width) cell of the standard space by the sandwich rule,
 * picks architectures evenly spread over the cell's MAC range (evenly spaced quantiles of a few thousand seeded
 * random samples sorted by MACs), scores each with {@link SubnetEvaluator} (inherited weights, BatchNorm
 * recalibration, val mAP@0.5), then trains each from scratch with {@link DetectorTrainer} under the same budget as
 * the supernet (epochs, batch, images, peak learning rate, warm-up and cosine schedule, weight decay, augmentation;
 * no early stopping; evaluated once, after the last epoch, so its score is the final val mAP@0.5). It prints one
 * row per architecture and Kendall τ-b between the two mAP lists, with the supernet's training time, the subnet
 * evaluations per minute and the stand-alone training time per architecture. τ-b of MACs against the stand-alone
 * mAP is printed too: the ranking a supernet must beat to be worth its training.
 *
 * <p>Arguments are {@code --name=value}; every one has a default, and all are printed at the start. With
 * {@code --checkpoint=FILE} the supernet is saved there after every epoch and, when the file already holds a
 * completed run, loaded instead of trained (its printed training time is then only the resumed part).
 */
public final class SupernetRankQuality {

    private static final Map<String, String> DEFAULTS = defaults();

    private SupernetRankQuality() {
    }

    /** One architecture picked for the benchmark, with its MACs. */
    record Candidate(Architecture architecture, long macs) {
    }

    /** What the benchmark measured for one candidate. */
    record Row(Candidate candidate, SubnetScore inherited, TrainingResult standalone) {
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("resolution", "96");
        defaults.put("width", "0.5");
        defaults.put("image-size", "96");
        defaults.put("train-images", "1500");
        defaults.put("val-images", "500");
        defaults.put("data-seed", "7");
        defaults.put("epochs", "4");
        defaults.put("batch", "16");
        defaults.put("random-subnets", "2");
        defaults.put("learning-rate", "0.01");
        defaults.put("warmup-epochs", "0.5");
        defaults.put("weight-decay", "0.0005");
        defaults.put("progressive-shrinking", "false");
        defaults.put("weight-sharing", "per-type");
        defaults.put("inplace-distillation", "0");
        defaults.put("augmentation", "none");
        defaults.put("recalibration-batches", "16");
        defaults.put("architectures", "10");
        defaults.put("pool", "4000");
        defaults.put("seed", "1");
        defaults.put("checkpoint", "");
        return defaults;
    }

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(DEFAULTS, args);
        System.out.println("parameters: " + String.join(" ", options.values().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        System.out.println("threads: OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        SearchSpace cell = TestSpaces.standard().narrow(options.integer("resolution"), options.real("width"));
        DetectionDataset data = new SyntheticDetectionSet(new SyntheticSpec(options.integer("image-size"),
                options.integer("train-images"), options.integer("val-images"), 1,
                options.integer("data-seed"))).generate();
        SupernetSettings supernetSettings = supernetSettings(options);
        List<Candidate> candidates = pick(cell, options.integer("architectures"), options.integer("pool"),
                options.integer("seed"));
        printMacRange(cell, candidates);

        String checkpoint = options.get("checkpoint");
        SupernetTrainer.Trained supernet = new SupernetTrainer(cell, supernetSettings,
                checkpoint.isEmpty() ? null : Path.of(checkpoint), System.out::println).train(data.train(), data.val());
        SubnetEvaluator evaluator = new SubnetEvaluator(supernet.supernet(), data.train(), data.val(),
                supernetSettings.recalibrationBatches(), supernetSettings.batchSize(), supernetSettings.seed());
        List<SubnetScore> inherited = scoreInherited(evaluator, candidates);
        printExtremes(cell, evaluator);

        TrainingSettings standaloneSettings = standaloneSettings(supernetSettings);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            TrainingResult standalone = trainStandalone(cell, standaloneSettings, candidates.get(i), data, i,
                    candidates.size());
            rows.add(new Row(candidates.get(i), inherited.get(i), standalone));
        }
        printTable(rows);
        printSummary(rows, supernet.seconds());
    }




    private static Augmentation augmentation(String name) {
        return switch (name) {
            case "default" -> Augmentation.DEFAULT;
            case "none" -> Augmentation.NONE;
            default -> throw new IllegalArgumentException("augmentation must be default or none, got " + name);
        };
    }

    static SupernetSettings supernetSettings(BenchOptions options) {
        return new SupernetSettings(options.integer("epochs"), options.integer("batch"), 0,
                options.integer("random-subnets"), options.real("learning-rate"), options.real("warmup-epochs"),
                options.real("weight-decay"), Boolean.parseBoolean(options.get("progressive-shrinking")),
                options.integer("recalibration-batches"), 0, augmentation(options.get("augmentation")),
                options.integer("seed"), io.sparknas.supernet.WeightSharing.fromConfigName(
                        options.get("weight-sharing")), new io.sparknas.train.DistillationSettings(
                        options.real("inplace-distillation"), 4.0, 0.5));
    }

    /** The supernet's budget for one stand-alone network: Adam, same schedule, no early stop, one final evaluation. */
    static TrainingSettings standaloneSettings(SupernetSettings supernet) {
        return new TrainingSettings(supernet.epochs(), supernet.batchSize(), "adam", supernet.learningRate(), 0.9,
                supernet.warmupEpochs(), supernet.weightDecay(), 0, supernet.epochs(), supernet.augmentation(),
                supernet.seed());
    }

    /**
     * {@code count} distinct architectures of {@code cell} evenly spread over its MAC range: {@code pool} seeded
     * random samples, duplicates dropped, sorted by MACs, taken at evenly spaced quantiles (both ends included).
     */
    static List<Candidate> pick(SearchSpace cell, int count, int pool, long seed) {
        ArchitectureLowering lowering = new ArchitectureLowering(cell);
        SplittableRandom random = new SplittableRandom(seed);
        LinkedHashSet<Architecture> samples = new LinkedHashSet<>();
        for (int i = 0; i < pool; i++) {
            samples.add(cell.sample(random));
        }
        List<Candidate> sorted = samples.stream()
                .map(a -> new Candidate(a, Macs.of(lowering.lower(a))))
                .sorted(Comparator.comparingLong(Candidate::macs)
                        .thenComparing(c -> c.architecture().shortName()))
                .toList();
        if (count < 2 || sorted.size() < count) {
            throw new IllegalArgumentException("need at least 2 architectures and a pool of at least as many "
                    + "distinct samples; asked " + count + " of " + sorted.size());
        }
        List<Candidate> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(sorted.get((int) Math.round(i * (sorted.size() - 1.0) / (count - 1))));
        }
        return picked;
    }

    private static List<SubnetScore> scoreInherited(SubnetEvaluator evaluator, List<Candidate> candidates) {
        List<SubnetScore> scores = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            SubnetScore score = evaluator.evaluate(candidates.get(i).architecture());
            System.out.printf(Locale.ROOT, "inherited [%d/%d] %.2f MMACs  val mAP@0.5 %.4f  (%.1f s)%n", i + 1,
                    candidates.size(), candidates.get(i).macs() / 1e6, score.map50(), score.seconds());
            scores.add(score);
        }
        return scores;
    }

    /** The sandwich rule's own ends, which the supernet trains at every step: a check that it learned at all. */
    private static void printExtremes(SearchSpace cell, SubnetEvaluator evaluator) {
        ArchitectureLowering lowering = new ArchitectureLowering(cell);
        for (Architecture end : List.of(cell.largest(), cell.smallest())) {
            System.out.printf(Locale.ROOT, "sandwich %s %.2f MMACs  inherited val mAP@0.5 %.4f  %s%n",
                    end.equals(cell.largest()) ? "largest " : "smallest", Macs.of(lowering.lower(end)) / 1e6,
                    evaluator.evaluate(end).map50(), end.shortName());
        }
    }

    private static void printMacRange(SearchSpace cell, List<Candidate> candidates) {
        ArchitectureLowering lowering = new ArchitectureLowering(cell);
        System.out.printf(Locale.ROOT, "picked %d architectures from %.2f to %.2f MMACs (sandwich largest %.2f, "
                        + "smallest %.2f MMACs)%n", candidates.size(), candidates.get(0).macs() / 1e6,
                candidates.get(candidates.size() - 1).macs() / 1e6, Macs.of(lowering.lower(cell.largest())) / 1e6,
                Macs.of(lowering.lower(cell.smallest())) / 1e6);
    }

    private static TrainingResult trainStandalone(SearchSpace cell, TrainingSettings settings, Candidate candidate,
                                                  DetectionDataset data, int index, int count) {
        String prefix = String.format(Locale.ROOT, "stand-alone [%d/%d] ", index + 1, count);
        System.out.println(prefix + candidate.architecture().shortName());
        TrainingResult result = new DetectorTrainer(cell.head(), settings, null, line -> System.out.println(prefix + line))
                .train(new ArchitectureLowering(cell).lower(candidate.architecture()), data.train(), data.val())
                .result();
        System.out.printf(Locale.ROOT, "%sfinal val mAP@0.5 %.4f  (%.0f s)%n", prefix, finalMap(result),
                result.seconds());
        return result;
    }

    /** The val mAP@0.5 after the last epoch (the only evaluation, so also the best). */
    private static double finalMap(TrainingResult result) {
        return result.history().get(result.history().size() - 1).valMap50();
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.println("| # | architecture | MMACs | inherited mAP@0.5 | stand-alone mAP@0.5 | eval s | "
                + "stand-alone s |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            System.out.printf(Locale.ROOT, "| %d | `%s` | %.2f | %.4f | %.4f | %.1f | %.0f |%n", i + 1,
                    row.candidate().architecture().shortName(), row.candidate().macs() / 1e6, row.inherited().map50(),
                    finalMap(row.standalone()), row.inherited().seconds(), row.standalone().seconds());
        }
        System.out.println();
    }

    private static void printSummary(List<Row> rows, double supernetSeconds) {
        double[] macs = rows.stream().mapToDouble(r -> r.candidate().macs()).toArray();
        double[] inherited = rows.stream().mapToDouble(r -> r.inherited().map50()).toArray();
        double[] standalone = rows.stream().mapToDouble(r -> finalMap(r.standalone())).toArray();
        double evalSeconds = median(rows.stream().mapToDouble(r -> r.inherited().seconds()).toArray());
        double[] standaloneSeconds = rows.stream().mapToDouble(r -> r.standalone().seconds()).toArray();
        System.out.printf(Locale.ROOT, "Kendall tau-b (inherited vs stand-alone val mAP@0.5, %d architectures): "
                + "%.3f%n", rows.size(), KendallTau.tauB(inherited, standalone));
        System.out.printf(Locale.ROOT, "Kendall tau-b (MACs vs stand-alone val mAP@0.5): %.3f%n",
                KendallTau.tauB(macs, standalone));
        System.out.printf(Locale.ROOT, "Kendall tau-b (MACs vs inherited val mAP@0.5): %.3f%n",
                KendallTau.tauB(macs, inherited));
        System.out.printf(Locale.ROOT, "supernet training: %.0f s (%s)%n", supernetSeconds,
                DetectorTrainer.duration(supernetSeconds));
        System.out.printf(Locale.ROOT, "subnet evaluation: median %.1f s, %.1f evaluations/min%n", evalSeconds,
                60 / evalSeconds);
        System.out.printf(Locale.ROOT, "stand-alone training: median %.0f s per architecture (%.0f-%.0f), %.0f s "
                        + "in all%n", median(standaloneSeconds), Arrays.stream(standaloneSeconds).min().orElse(0),
                Arrays.stream(standaloneSeconds).max().orElse(0), Arrays.stream(standaloneSeconds).sum());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
