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
import io.sparknas.train.DetectionTeacher;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.DistillationSettings;
import io.sparknas.train.FinalTrainer;
import io.sparknas.train.FlipAveragedTeacher;
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
import java.time.Instant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Knowledge distillation for one chosen candidate (issue 21's benchmark): the candidate trained to convergence
 * (early stopping on val) without distillation for several seeds, the ViT teacher trained on the synthetic set, then
 * the candidate trained with distillation for the same seeds on the same un-augmented batches, and one ablation per
 * loss term (that term's weight 0, every seed). Every
 * finished unit (the teacher, each student training) is cached under {@code --cache} by a fingerprint of what decides
 * it, so the benchmark completes over several sessions; the record {@code --out} (default
 * {@code docs/bench/distillation.json}) is written from the cache at the end of every run. {@code --plain-only=true}
 * trains only the students without distillation (they do not depend on the teacher), so they can run on one core
 * while the teacher trains on the other with the same cache; {@code --only-seed=K} trains only seed K's students
 * (with and without distillation) and writes no record, so two seeds can train side by side on two cores.
 * Processes started on the same cache share its units: each unit is claimed ({@link UnitClaim}) by the process that
 * trains it, the others go on to the next free unit and await the claimed ones before writing the record. Two cores:
 * one process with {@code --teacher-first=true} (the teacher, then whatever is free) beside one with the defaults
 * (the students without distillation, then whatever is free). {@code --class-weight}, {@code --objectness-weight} and
 * {@code --box-weight} set the terms of the distillation being measured, {@code --first-seed} the first training seed
 * (a confirmation on fresh seeds: {@code --first-seed=4}). {@code --teacher-flip} (default true) teaches with the
 * teacher averaged with its mirror image ({@link FlipAveragedTeacher}): its val and test mAP@0.5 are measured so, and
 * its distilled students are cached apart from those of the teacher alone. {@code --teacher-patience} defaults to the
 * teacher's 80 epochs, so the teacher never stops early: under the cosine schedule its val mAP@0.5 swings by
 * &plusmn;0.05 at the peak rate, and a patience of 8 once stopped it at epoch 27 of 80 (docs/benchmarks.md).
 *
 * <pre>bench/distillation.sh [--arch=bench/best-default-search.json] [--seeds=3] [--student-epochs=30] ...</pre>
 */
public final class DistillationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The synthetic set and the teacher's side of this benchmark, shared with {@link TeacherFlipBenchmark}. */
    static final Map<String, String> DATA_DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final List<String> TERMS = List.of("class", "objectness", "box");

    static {
        DATA_DEFAULTS.put("image-size", "160");
        DATA_DEFAULTS.put("train-images", "3000");
        DATA_DEFAULTS.put("val-images", "500");
        DATA_DEFAULTS.put("test-images", "500");
        DATA_DEFAULTS.put("data-seed", "7");
        DATA_DEFAULTS.put("teacher-side", "160");
        DEFAULTS.put("arch", "bench/best-default-search.json");
        DEFAULTS.putAll(DATA_DEFAULTS);
        DEFAULTS.put("teacher-dim", "128");
        DEFAULTS.put("teacher-depth", "4");
        DEFAULTS.put("teacher-heads", "4");
        DEFAULTS.put("teacher-mlp", "2");
        DEFAULTS.put("teacher-stem", "conv");
        DEFAULTS.put("teacher-stem-width", "0");
        DEFAULTS.put("teacher-stem-blocks", "0");
        DEFAULTS.put("teacher-tokens-per-cell", "1");
        DEFAULTS.put("teacher-flip", "true");
        DEFAULTS.put("teacher-epochs", "80");
        DEFAULTS.put("teacher-lr", "0.03");
        DEFAULTS.put("teacher-patience", "80");
        DEFAULTS.put("student-epochs", "30");
        DEFAULTS.put("patience", "6");
        DEFAULTS.put("batch", "32");
        DEFAULTS.put("lr", "0.002");
        DEFAULTS.put("seeds", "3");
        DEFAULTS.put("weight", "1.0");
        DEFAULTS.put("temperature", "4.0");
        DEFAULTS.put("threshold", "0.5");
        DEFAULTS.put("class-weight", "1.0");
        DEFAULTS.put("objectness-weight", "1.0");
        DEFAULTS.put("box-weight", "1.0");
        DEFAULTS.put("first-seed", "1");
        DEFAULTS.put("ablation", "true");
        DEFAULTS.put("plain-only", "false");
        DEFAULTS.put("only-seed", "0");
        DEFAULTS.put("teacher-first", "false");
        DEFAULTS.put("cache", "bench-results/distillation");
        DEFAULTS.put("out", "docs/bench/distillation.json");
    }

    private DistillationBenchmark() {
    }

    /** The synthetic set the options describe. */
    static SyntheticSpec dataSpec(BenchOptions o) {
        return new SyntheticSpec(o.integer("image-size"), o.integer("train-images"), o.integer("val-images"),
                o.integer("test-images"), o.integer("data-seed"));
    }

    /** One cached training's figures. */
    private record Trained(double testMap50, double valMap50, int epochs, int bestEpoch, double seconds) {
    }

    public static void main(String[] args) throws IOException {
        long started = System.nanoTime();
        BenchOptions o = BenchOptions.parse(DEFAULTS, args);
        System.out.println("parameters: " + o);
        System.out.println("threads: OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        Path cache = Path.of(o.get("cache"));
        Files.createDirectories(cache);
        SearchSpace space = TestSpaces.standard();
        HeadSpec head = space.head();
        Architecture architecture = ArchitectureJson.decode(Files.readString(Path.of(o.get("arch"))));
        LayerGraph graph = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT).lower(architecture);
        int side = architecture.resolution();
        SyntheticSpec dataSpec = dataSpec(o);
        DetectionDataset data = new SyntheticDetectionSet(dataSpec).generate();

        // The students without distillation first: they do not depend on the teacher, so a teacher that takes several
        // sessions to train does not hold them up (and another teacher reuses them).
        int onlySeed = o.integer("only-seed");
        boolean teacherFirst = Boolean.parseBoolean(o.get("teacher-first"));
        if (!teacherFirst) {
            trainFreeStudents(cache, o, graph, data, head, null, null, "", onlySeed);
        }
        if (Boolean.parseBoolean(o.get("plain-only"))) {
            System.out.println("--plain-only: the students without distillation are cached or claimed by another "
                    + "process; stopping before the teacher");
            return;
        }

        int teacherSide = o.integer("teacher-side");
        int grid = side / head.outputStride();
        HeadSpec teacherHead = new HeadSpec(head.channels(), head.classes(), head.anchors(), teacherSide / grid);
        TrainingSettings teacherSettings = settings(o, o.integer("teacher-epochs"), o.real("teacher-lr"),
                o.integer("teacher-patience"), 1).withAugmentation(Augmentation.DEFAULT);
        TeacherSpec spec = new TeacherSpec(o.integer("teacher-dim"), o.integer("teacher-depth"),
                o.integer("teacher-heads"), o.integer("teacher-mlp"), o.get("teacher-stem").equals("conv"),
                o.integer("teacher-stem-width"), o.integer("teacher-stem-blocks"), o.integer("teacher-tokens-per-cell"));
        String teacherKey = BenchRecords.fingerprint(dataSpec + "|" + teacherSide + "|" + teacherHead + "|" + spec + "|"
                + teacherSettings);
        ComputationGraph teacher = teacher(cache.resolve("teacher-" + teacherKey), teacherSide, teacherHead, spec,
                teacherSettings, data);
        JsonNode teacherRecord = JSON.readTree(cache.resolve("teacher-" + teacherKey).resolve("teacher.json").toFile());
        if (teacherFirst) {
            trainFreeStudents(cache, o, graph, data, head, null, null, "", onlySeed);
        }
        boolean flip = Boolean.parseBoolean(o.get("teacher-flip"));
        DetectionTeacher source = flip ? new FlipAveragedTeacher(new NetworkTeacher(teacher, "ViT"),
                teacherHead.classes()) : new NetworkTeacher(teacher, "ViT");
        double teacherTest = teacherRecord.get("test_map50").asDouble();
        double teacherVal = teacherRecord.get("val_map50").asDouble();
        if (flip) {
            DetectorEvaluator evaluator = new DetectorEvaluator(teacherHead, 32);
            teacherTest = evaluator.evaluate(source::predict, data.test(), teacherSide).map50();
            teacherVal = evaluator.evaluate(source::predict, data.val(), teacherSide).map50();
            teacherKey = teacherKey + "-flip";
            System.out.printf(Locale.ROOT, "teacher averaged with its mirror image: val mAP@0.5 %.4f, test %.4f "
                    + "(alone %.4f, %.4f)%n", teacherVal, teacherTest, teacherRecord.get("val_map50").asDouble(),
                    teacherRecord.get("test_map50").asDouble());
        }
        long start = System.nanoTime();
        List<float[]> outputs = TeacherPredictions.compute(source, data.train(), teacherSide, teacherHead, 64);
        System.out.printf(Locale.ROOT, "teacher outputs for %d training images in %.1f s%n", outputs.size(),
                (System.nanoTime() - start) / 1e9);

        DistillationSettings kd = new DistillationSettings(o.real("weight"), o.real("temperature"),
                o.real("threshold"), o.real("class-weight"), o.real("objectness-weight"), o.real("box-weight"));
        trainFreeStudents(cache, o, graph, data, head, outputs, kd, teacherKey, onlySeed);
        if (Boolean.parseBoolean(o.get("ablation")) && onlySeed == 0) {
            for (String term : TERMS) {
                trainFreeStudents(cache, o, graph, data, head, outputs, without(kd, term), teacherKey, 0);
            }
        }
        List<Trained> plainStudents = new ArrayList<>();
        for (int seed = firstSeed(o); seed < firstSeed(o) + o.integer("seeds"); seed++) {
            plainStudents.add(onlySeed == 0 || seed == onlySeed
                    ? student(cache, o, graph, data, head, null, null, "", seed, true) : null);
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode seeds = JSON.createArrayNode();
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int seed = firstSeed(o); seed < firstSeed(o) + o.integer("seeds"); seed++) {
            if (onlySeed > 0 && seed != onlySeed) {
                continue;
            }
            Trained plain = plainStudents.get(seed - firstSeed(o));
            Trained distilled = student(cache, o, graph, data, head, outputs, kd, teacherKey, seed, true);
            ObjectNode row = seeds.addObject();
            row.put("seed", seed);
            row.put("student_test_map50_without", plain.testMap50());
            row.put("student_test_map50_with", distilled.testMap50());
            row.put("difference", distilled.testMap50() - plain.testMap50());
            row.put("student_val_map50_without", plain.valMap50());
            row.put("student_val_map50_with", distilled.valMap50());
            row.put("epochs_without", plain.epochs());
            row.put("epochs_with", distilled.epochs());
            row.put("seconds_without", plain.seconds());
            row.put("seconds_with", distilled.seconds());
            without.add(plain.testMap50());
            with.add(distilled.testMap50());
            System.out.printf(Locale.ROOT, "seed %d: test mAP@0.5 without %.4f, with %.4f (%+.4f)%n", seed,
                    plain.testMap50(), distilled.testMap50(), distilled.testMap50() - plain.testMap50());
        }
        if (onlySeed > 0) {
            System.out.printf(Locale.ROOT, "--only-seed=%d: its students are cached; run without --only-seed to write "
                    + "the record%n", onlySeed);
            return;
        }
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < with.size(); i++) {
            differences.add(with.get(i) - without.get(i));
        }
        ArrayNode ablation = JSON.createArrayNode();
        if (Boolean.parseBoolean(o.get("ablation"))) {
            for (String term : TERMS) {
                DistillationSettings off = without(kd, term);
                ObjectNode row = ablation.addObject();
                row.put("term_off", term);
                ArrayNode perSeed = row.putArray("student_test_map50_with");
                List<Double> scores = new ArrayList<>();
                for (int seed = firstSeed(o); seed < firstSeed(o) + o.integer("seeds"); seed++) {
                    double score = student(cache, o, graph, data, head, outputs, off, teacherKey, seed, true)
                            .testMap50();
                    perSeed.add(score);
                    scores.add(score);
                }
                row.put("mean", BenchRecords.mean(scores));
                row.put("std", BenchRecords.std(scores));
                row.put("gain_mean", BenchRecords.mean(scores) - BenchRecords.mean(without));
                System.out.printf(Locale.ROOT, "without the %s term: test mAP@0.5 %.4f ± %.4f (gain %+.4f)%n", term,
                        BenchRecords.mean(scores), BenchRecords.std(scores), BenchRecords.mean(scores) - BenchRecords.mean(without));
            }
        }

        double bestStudent = without.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        root.put("benchmark", "distillation");
        root.put("command", "bench/distillation.sh " + String.join(" ", args));
        root.put("date", Instant.now().toString());
        root.put("git_revision", BenchRecords.gitRevision());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode parameters = root.putObject("parameters");
        o.values().forEach(parameters::put);
        parameters.put("architecture", architecture.shortName());
        parameters.put("teacher", spec.toString());
        parameters.put("distillation", kd.toString());
        root.put("teacher_test_map50", teacherTest);
        root.put("teacher_val_map50", teacherVal);
        root.put("teacher_flip_averaged", flip);
        root.put("teacher_alone_test_map50", teacherRecord.get("test_map50").asDouble());
        root.put("teacher_epochs", teacherRecord.get("epochs").asInt());
        root.put("teacher_seconds", teacherRecord.get("seconds").asDouble());
        root.put("best_undistilled_student_test_map50", bestStudent);
        if (bestStudent > 0) {
            root.put("teacher_over_best_student", teacherTest / bestStudent);
        } else {
            root.putNull("teacher_over_best_student");
        }
        root.set("seeds", seeds);
        root.put("student_test_map50_without_mean", BenchRecords.mean(without));
        root.put("student_test_map50_without_std", BenchRecords.std(without));
        root.put("student_test_map50_with_mean", BenchRecords.mean(with));
        root.put("student_test_map50_with_std", BenchRecords.std(with));
        root.put("gain_mean", BenchRecords.mean(differences));
        root.put("gain_std", BenchRecords.std(differences));
        root.put("gain_target_met", BenchRecords.mean(differences) >= 0.03 && BenchRecords.mean(differences) > 2 * BenchRecords.std(differences));
        root.put("teacher_target_met", bestStudent > 0 && teacherTest >= 1.5 * bestStudent);
        root.set("ablation", ablation);
        root.put("seconds_this_session", (System.nanoTime() - started) / 1e9);
        Path out = Path.of(o.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path staged = out.resolveSibling(out.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Files.writeString(staged, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        Files.move(staged, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(Locale.ROOT, "teacher test mAP@0.5 %.4f (%.2f x the best undistilled student %.4f); gain "
                        + "%+.4f ± %.4f over %d seeds; wrote %s%n", teacherTest, teacherTest / bestStudent, bestStudent,
                BenchRecords.mean(differences), BenchRecords.std(differences), differences.size(), out);
    }

    /** The teacher from its cache folder, or trained now (resuming from its last epoch checkpoint) and cached. */
    private static ComputationGraph teacher(Path folder, int side, HeadSpec head, TeacherSpec spec,
                                            TrainingSettings settings, DetectionDataset data) throws IOException {
        Path model = folder.resolve("teacher.zip");
        while (true) {
            if (Files.isRegularFile(model)) {
                System.out.println("teacher (cached): " + model);
                return ModelSerializer.restoreComputationGraph(model.toFile(), false);
            }
            java.util.Optional<UnitClaim> claim = UnitClaim.tryClaim(folder);
            if (claim.isPresent()) {
                try (UnitClaim held = claim.get()) {
                    return trainTeacher(folder, model, side, head, spec, settings, data);
                }
            }
            UnitClaim.awaitOther("the teacher", folder);
        }
    }

    private static ComputationGraph trainTeacher(Path folder, Path model, int side, HeadSpec head, TeacherSpec spec,
                                                 TrainingSettings settings, DetectionDataset data) throws IOException {
        Files.createDirectories(folder);
        int iterations = (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(folder.resolve("checkpoint"));
        ComputationGraph network;
        TrainingCheckpoint.State state;
        if (checkpoint.exists()) {
            network = checkpoint.loadLast();
            state = checkpoint.loadState();
            System.out.printf(Locale.ROOT, "teacher: resuming after epoch %d from %s%n", state.epoch(),
                    folder.resolve("checkpoint"));
        } else {
            network = VitTeacherBuilder.build(side, head, spec, 1, settings.updater(iterations), settings.weightDecay());
            state = new TrainingCheckpoint.State(0, -1, 0, List.of());
        }
        System.out.printf(Locale.ROOT, "teacher: ViT %s at %d px, %,d parameters%n", spec, side, network.numParams());
        DetectorTrainer.Trained trained = new DetectorTrainer(head, settings, folder.resolve("checkpoint"),
                System.out::println).run(network, side, data.train(), data.val(), state);
        DetectionMetrics test = new DetectorEvaluator(head, 32).evaluate(trained.network(), data.test(), side);
        System.out.printf(Locale.ROOT, "teacher: best val mAP@0.5 %.4f (epoch %d), test mAP@0.5 %.4f, trained in %s%n",
                trained.result().bestValMap50(), trained.result().bestEpoch(), test.map50(),
                DetectorTrainer.duration(trained.result().seconds()));
        ObjectNode record = JSON.createObjectNode();
        record.put("test_map50", test.map50());
        record.put("test_map_coco", test.mapCoco());
        record.put("val_map50", trained.result().bestValMap50());
        record.put("epochs", trained.result().epochsRun());
        record.put("seconds", trained.result().seconds());
        Files.writeString(folder.resolve("teacher.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record));
        ModelSerializer.writeModel(trained.network(), folder.resolve("teacher.zip.partial").toFile(), false);
        Files.move(folder.resolve("teacher.zip.partial"), model, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return trained.network();
    }

    /** One student training (with distillation when {@code kd} is given), from the cache or trained and cached. */
    private static Trained student(Path cache, BenchOptions o, LayerGraph graph, DetectionDataset data, HeadSpec head,
                                   List<float[]> outputs, DistillationSettings kd, String teacherKey, int seed,
                                   boolean await) throws IOException {
        TrainingSettings settings = settings(o, o.integer("student-epochs"), o.real("lr"), o.integer("patience"), seed);
        String what = kd == null ? "without distillation" : "with " + kd;
        Path file = cache.resolve("student-" + BenchRecords.fingerprint(graph + "|" + data.train().size() + "|"
                + o.get("data-seed") + "|" + o.get("image-size") + "|" + settings + "|" + what + "|" + teacherKey)
                + ".json");
        while (true) {
            if (Files.isRegularFile(file)) {
                JsonNode node = JSON.readTree(file.toFile());
                System.out.printf(Locale.ROOT, "seed %d %s (cached): test mAP@0.5 %.4f%n", seed, what,
                        node.get("test_map50").asDouble());
                return new Trained(node.get("test_map50").asDouble(), node.get("val_map50").asDouble(),
                        node.get("epochs").asInt(), node.get("best_epoch").asInt(), node.get("seconds").asDouble());
            }
            java.util.Optional<UnitClaim> claim = UnitClaim.tryClaim(file);
            if (claim.isPresent()) {
                try (UnitClaim held = claim.get()) {
                    return trainStudent(file, o, settings, what, graph, data, head, outputs, kd, seed);
                }
            }
            if (!await) {
                System.out.printf(Locale.ROOT, "seed %d %s: claimed by another process, going on%n", seed, what);
                return null;
            }
            UnitClaim.awaitOther("seed " + seed + " " + what, file);
        }
    }

    private static Trained trainStudent(Path file, BenchOptions o, TrainingSettings settings, String what,
                                        LayerGraph graph, DetectionDataset data, HeadSpec head,
                                        List<float[]> outputs, DistillationSettings kd, int seed) throws IOException {
        System.out.printf(Locale.ROOT, "seed %d, %s:%n", seed, what);
        FinalTrainer trainer = new FinalTrainer(head, settings, kd == null ? new DistillationSettings(0, 1, 0.5) : kd,
                line -> System.out.println("  " + line));
        FinalTrainer.Outcome outcome = trainer.train(graph, data, kd == null ? null : outputs, null);
        Trained trained = new Trained(outcome.test().map50(), outcome.training().bestValMap50(),
                outcome.training().epochsRun(), outcome.training().bestEpoch(), outcome.training().seconds());
        ObjectNode node = JSON.createObjectNode();
        node.put("test_map50", trained.testMap50());
        node.put("val_map50", trained.valMap50());
        node.put("epochs", trained.epochs());
        node.put("best_epoch", trained.bestEpoch());
        node.put("seconds", trained.seconds());
        node.put("what", what);
        Path staged = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(staged, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        Files.move(staged, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return trained;
    }

    /** Trains every seed's student with {@code kd} that is neither cached nor claimed by another process. */
    private static void trainFreeStudents(Path cache, BenchOptions o, LayerGraph graph, DetectionDataset data,
                                          HeadSpec head, List<float[]> outputs, DistillationSettings kd,
                                          String teacherKey, int onlySeed) throws IOException {
        for (int seed = firstSeed(o); seed < firstSeed(o) + o.integer("seeds"); seed++) {
            if (onlySeed == 0 || seed == onlySeed) {
                student(cache, o, graph, data, head, outputs, kd, teacherKey, seed, false);
            }
        }
    }

    /** The first training seed; the benchmark trains seeds {@code first-seed} .. {@code first-seed + seeds - 1}. */
    private static int firstSeed(BenchOptions o) {
        return o.integer("first-seed");
    }

    /** The distillation settings with one loss term's weight set to 0 (an ablation row). */
    private static DistillationSettings without(DistillationSettings kd, String term) {
        return new DistillationSettings(kd.weight(), kd.temperature(), kd.threshold(),
                term.equals("class") ? 0 : kd.classWeight(),
                term.equals("objectness") ? 0 : kd.objectnessWeight(),
                term.equals("box") ? 0 : kd.boxWeight());
    }

    private static TrainingSettings settings(BenchOptions o, int epochs, double lr, int patience, long seed) {
        return new TrainingSettings(epochs, o.integer("batch"), "adam", lr, 0.9, 1, 5e-4, patience, 1,
                Augmentation.NONE, seed);
    }
}
