package io.sparknas.bench;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.DistillationSettings;
import io.sparknas.train.FinalTrainer;
import io.sparknas.train.NetworkTeacher;
import io.sparknas.train.TeacherPredictions;
import io.sparknas.train.TeacherSpec;
import io.sparknas.train.TrainingCheckpoint;
import io.sparknas.train.TrainingSettings;
import io.sparknas.train.VitTeacherBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Knowledge distillation for one chosen candidate: trains the ViT teacher on the synthetic set, then
 * trains the candidate with and without distillation for several seeds on the same un-augmented batches, and
 * reports test mAP (mean ± std), the teacher's mAP and the training time per candidate.
 *
 * <pre>bench/distillation.sh --arch=bench/best-default-search.json [--seeds=3] [--student-epochs=15] ...</pre>
 */
public final class DistillationBenchmark {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("arch", "bench/best-default-search.json");
        DEFAULTS.put("image-size", "160");
        DEFAULTS.put("train-images", "3000");
        DEFAULTS.put("val-images", "500");
        DEFAULTS.put("test-images", "500");
        DEFAULTS.put("data-seed", "7");
        DEFAULTS.put("teacher-side", "160");
        DEFAULTS.put("teacher-dim", "128");
        DEFAULTS.put("teacher-depth", "4");
        DEFAULTS.put("teacher-heads", "4");
        DEFAULTS.put("teacher-mlp", "2");
        DEFAULTS.put("teacher-epochs", "20");
        DEFAULTS.put("teacher-lr", "0.001");
        DEFAULTS.put("student-epochs", "15");
        DEFAULTS.put("batch", "32");
        DEFAULTS.put("lr", "0.002");
        DEFAULTS.put("seeds", "3");
        DEFAULTS.put("weight", "1.0");
        DEFAULTS.put("temperature", "4.0");
        DEFAULTS.put("threshold", "0.5");
    }

    private DistillationBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        BenchOptions o = BenchOptions.parse(DEFAULTS, args);
        System.out.println("parameters: " + o);
        System.out.println("threads: OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        SearchSpace space = TestSpaces.standard();
        HeadSpec head = space.head();
        Architecture architecture = ArchitectureJson.decode(Files.readString(Path.of(o.get("arch"))));
        LayerGraph graph = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT).lower(architecture);
        int side = architecture.resolution();
        DetectionDataset data = new SyntheticDetectionSet(new SyntheticSpec(o.integer("image-size"),
                o.integer("train-images"), o.integer("val-images"), o.integer("test-images"),
                o.integer("data-seed"))).generate();

        int teacherSide = o.integer("teacher-side");
        int grid = side / head.outputStride();
        HeadSpec teacherHead = new HeadSpec(head.channels(), head.classes(), head.anchors(), teacherSide / grid);
        TrainingSettings teacherSettings = settings(o, o.integer("teacher-epochs"), o.real("teacher-lr"), 1)
                .withAugmentation(Augmentation.DEFAULT);
        TeacherSpec spec = new TeacherSpec(o.integer("teacher-dim"), o.integer("teacher-depth"),
                o.integer("teacher-heads"), o.integer("teacher-mlp"));
        int iterations = (data.train().size() + teacherSettings.batchSize() - 1) / teacherSettings.batchSize();
        ComputationGraph teacherNetwork = VitTeacherBuilder.build(teacherSide, teacherHead, spec, 1,
                teacherSettings.updater(iterations), teacherSettings.weightDecay());
        System.out.printf(Locale.ROOT, "teacher: ViT %s at %d px (patch %d, %dx%d tokens), %,d parameters%n", spec,
                teacherSide, teacherSide / grid, grid, grid, teacherNetwork.numParams());
        DetectorTrainer.Trained teacher = new DetectorTrainer(teacherHead, teacherSettings, null, System.out::println)
                .run(teacherNetwork, teacherSide, data.train(), data.val(), new TrainingCheckpoint.State(0, -1, 0,
                        List.of()));
        DetectionMetrics teacherTest = new DetectorEvaluator(teacherHead, 32).evaluate(teacher.network(), data.test(),
                teacherSide);
        System.out.printf(Locale.ROOT, "teacher: best val mAP@0.5 %.4f (epoch %d), test mAP@0.5 %.4f, "
                        + "mAP@[.5:.95] %.4f, trained in %s%n", teacher.result().bestValMap50(), teacher.result().bestEpoch(),
                teacherTest.map50(), teacherTest.mapCoco(), DetectorTrainer.duration(teacher.result().seconds()));
        long start = System.nanoTime();
        List<float[]> outputs = TeacherPredictions.compute(new NetworkTeacher(teacher.network(), "ViT"), data.train(),
                teacherSide, teacherHead, 64);
        System.out.printf(Locale.ROOT, "teacher outputs for %d training images in %.1f s%n", outputs.size(),
                (System.nanoTime() - start) / 1e9);

        DistillationSettings kd = new DistillationSettings(o.real("weight"), o.real("temperature"),
                o.real("threshold"));
        List<double[]> results = new ArrayList<>();
        for (int seed = 1; seed <= o.integer("seeds"); seed++) {
            TrainingSettings student = settings(o, o.integer("student-epochs"), o.real("lr"), seed);
            FinalTrainer trainer = new FinalTrainer(head, student, kd, line -> System.out.println("  " + line));
            System.out.printf(Locale.ROOT, "seed %d, without distillation:%n", seed);
            FinalTrainer.Outcome plain = trainer.train(graph, data, null, null);
            System.out.printf(Locale.ROOT, "seed %d, with distillation:%n", seed);
            FinalTrainer.Outcome distilled = trainer.train(graph, data, outputs, null);
            double[] row = {seed, plain.test().map50(), distilled.test().map50(), plain.training().seconds(),
                distilled.training().seconds(), plain.training().bestValMap50(), distilled.training().bestValMap50()};
            results.add(row);
            System.out.printf(Locale.ROOT, "seed %d: test mAP@0.5 without KD %.4f, with KD %.4f (%.1f s, %.1f s)%n",
                    seed, row[1], row[2], row[3], row[4]);
        }
        System.out.println();
        System.out.println("| seed | test mAP@0.5 without KD | test mAP@0.5 with KD | training s without | with |");
        System.out.println("|---|---|---|---|---|");
        for (double[] r : results) {
            System.out.printf(Locale.ROOT, "| %d | %.4f | %.4f | %.0f | %.0f |%n", (int) r[0], r[1], r[2], r[3], r[4]);
        }
        System.out.printf(Locale.ROOT, "| mean ± std | %.4f ± %.4f | %.4f ± %.4f | %.0f | %.0f |%n",
                mean(results, 1), std(results, 1), mean(results, 2), std(results, 2), mean(results, 3),
                mean(results, 4));
        System.out.printf(Locale.ROOT, "teacher test mAP@0.5 %.4f; candidate %s%n", teacherTest.map50(),
                architecture.shortName());
    }

    private static TrainingSettings settings(BenchOptions o, int epochs, double lr, long seed) {
        return new TrainingSettings(epochs, o.integer("batch"), "adam", lr, 0.9, 1, 5e-4, 0, 1, Augmentation.NONE,
                seed);
    }

    private static double mean(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).average().orElse(Double.NaN);
    }

    private static double std(List<double[]> rows, int column) {
        double m = mean(rows, column);
        double sum = rows.stream().mapToDouble(r -> (r[column] - m) * (r[column] - m)).sum();
        return rows.size() > 1 ? Math.sqrt(sum / (rows.size() - 1)) : 0;
    }



}
