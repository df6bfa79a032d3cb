package io.sparknas.finalmodels;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.data.AugmentedViews;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.cost.MobileNetV2Baseline;
import io.sparknas.run.CandidateCosts;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.Proposer;
import io.sparknas.space.Architecture;
import io.sparknas.run.DriverFolder;
import io.sparknas.run.FinalModelRow;
import io.sparknas.run.ProgressFollower;
import io.sparknas.run.Run;
import io.sparknas.search.SearchObjective;
import io.sparknas.search.SearchPipeline;
import io.sparknas.seed.Seeds;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.SearchSpace;
import io.sparknas.task.FinalTrainingContext;
import io.sparknas.task.FinalTrainingRequest;
import io.sparknas.task.FinalTrainingResult;
import io.sparknas.task.FinalTrainingTask;
import io.sparknas.task.ProgressFile;
import io.sparknas.task.TeacherArtifact;
import io.sparknas.task.TeacherOutputsSource;
import io.sparknas.task.TeacherOutputsTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Stage 5, {@code sparknas finalize}: the run's best feasible candidates (by val mAP; in a multi-objective search,
 * from the Pareto front) trained fully, each seed once without and once with distillation, one Spark task per
 * training, scored on the test split, written to {@code final_models/} with the trained models in
 * {@code models/}, each also exported there as fp32 ONNX and as int8 QDQ ONNX (scored on the test split too). The teacher is resolved and checked first, and its outputs for the training images are computed
 * once across executors, written by them to {@code teacher_outputs/} and read from there by the training tasks.
 */
public final class FinalizeJob {

    /** How often the console shows the final trainings' new epoch lines. */
    private static final int PROGRESS_SECONDS = 10;

    private final Run run;
    private final SparkNasConfig config;
    private final SparkSession spark;

    public FinalizeJob(Run run) {
        this.run = run;
        this.config = run.config();
        this.spark = run.spark();
    }

    /**
     * What to finalize and with which teacher (null files: train or reuse the run's ViT teacher); {@code supernet}
     * is the checkpoint inherited weights come from (null: the run's own, {@code supernet/supernet.ckpt}).
     */
    public record Request(int top, int seeds, int epochs, Path teacher, Path teacherOnnx, Path supernet) {
    }

    /** Runs stage 5 and returns the rows written. */
    public List<FinalModelRow> run(Request request) {
        List<CandidateRow> scored = run.candidates().read().stream().filter(r -> r.feasible() && r.evaluated())
                .toList();
        if (scored.isEmpty()) {
            throw new IllegalArgumentException("run " + run.id() + " has no feasible scored candidates in "
                    + run.candidates().location());
        }
        List<CandidateRow> chosen = SearchObjective.of(config.search().objective()).best(scored, request.top())
                .stream().sorted(SearchObjective.BY_MAP).limit(request.top()).toList();
        SearchSpace cell = config.space().narrow(chosen.get(0).architecture().resolution(),
                chosen.get(0).architecture().width());
        List<Finalist> finalists = new ArrayList<>();
        for (int rank = 1; rank <= chosen.size(); rank++) {
            CandidateRow c = chosen.get(rank - 1);
            finalists.add(new Finalist(c.candidateId(), rank, c.proposer(), c.architecture(), c.costs(), c.map50()));
        }
        if (config.finals().baseline()) {
            baseline(cell).ifPresent(finalists::add);
        }
        int side = cell.resolutions().get(0);
        config.gatheredClassesNotice().ifPresent(run::progress);
        DetectionDataset data = config.data().load(DataFiles.local());
        DriverFolder teacherFolder = run.driverFolder("teacher");
        TeacherProvider.Resolved teacher = new TeacherProvider(config, run.progress(), spark,
                run.resultsFolder()).resolve(request.teacher(),
                request.teacherOnnx(), teacherFolder.path(), side, cell.head(), data);
        teacherFolder.publish();
        boolean baselineAlone = finalists.stream().anyMatch(f -> !distilled(f));
        run.progress(String.format(Locale.ROOT, "finalize: %d candidate(s) x %d seed(s), without and with "
                        + "distillation%s, %d epochs each, from %s", chosen.size(), request.seeds(),
                baselineAlone ? " (the baseline without only)" : "", request.epochs(),
                config.finals().inherited() ? "the supernet's weights" : "scratch"));
        AugmentedViews views = config.finals().augmentedViews() == 0 ? null
                : new AugmentedViews(config.finals().augmentedViews(), config.training().augmentation(),
                        Seeds.derive(config.run().seed(), "final-views"));
        TeacherOutputsSource outputs = teacherOutputs(teacher.artifact(), data.train().size(), views);

        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        byte[] supernetBytes = config.finals().inherited() ? supernet(request.supernet() != null ? request.supernet()
                : run.driverFolder("supernet").path().resolve("supernet.ckpt")) : null;
        Broadcast<byte[]> supernetBroadcast = context.broadcast(supernetBytes);
        List<FinalTrainingRequest> requests = new ArrayList<>();
        // The baseline first: its expanded blocks train slowest (docs/benchmarks.md, issue 23), and Spark starts
        // tasks in partition order, so the candidates' trainings fill the other cores while it runs.
        for (Finalist finalist : finalists.stream().sorted(java.util.Comparator.comparing(f -> f.rank() != 0))
                .toList()) {
            for (long seed = 1; seed <= request.seeds(); seed++) {
                requests.add(new FinalTrainingRequest(finalist.candidateId(), finalist.rank(), finalist.architecture(),
                        false, seed));
                if (distilled(finalist)) {
                    requests.add(new FinalTrainingRequest(finalist.candidateId(), finalist.rank(),
                            finalist.architecture(), true, seed));
                }
            }
        }
        FinalTrainingContext trainingContext = new FinalTrainingContext(cell,
                new CostModel(cell, config.target(), config.cost()), config.data(),
                config.training().withEpochs(request.epochs()), config.finals().distillation(),
                config.finals().inherited(), run.location(Run.MODELS),
                SearchPipeline.threadsPerTask(spark.sparkContext().getConf(), config.search().threadsPerTask()),
                config.finals().calibrationImages(), views,
                fingerprint(teacher.artifact(), views) + "|"
                        + (supernetBytes == null ? "scratch" : sha256(supernetBytes)));
        long start = System.nanoTime();
        context.setJobDescription("SparkNAS " + run.id() + ": finalize, " + requests.size() + " trainings");
        Map<String, String> progressFiles = new java.util.LinkedHashMap<>();
        for (FinalTrainingRequest r : requests) {
            progressFiles.put(run.location(Run.MODELS + "/" + r.artifactName() + ProgressFile.SUFFIX),
                    String.format(Locale.ROOT, "final rank %d seed %d %s distillation: ",
                    r.rank(), r.seed(), r.distill() ? "with" : "without"));
        }
        ProgressFollower.clear(progressFiles.keySet());
        List<FinalTrainingResult> results;
        try (ProgressFollower follower = new ProgressFollower(progressFiles, run::progress, PROGRESS_SECONDS)) {
            results = context.parallelize(requests, requests.size())
                    .mapPartitions(new FinalTrainingTask(outputs, supernetBroadcast, trainingContext))
                    .collect();
        } finally {
            supernetBroadcast.destroy();
        }
        long reused = results.stream().filter(FinalTrainingResult::reused).count();
        run.progress(String.format(Locale.ROOT, "finalize: %d trainings in %.1f min%s", results.size(),
                (System.nanoTime() - start) / 60e9, reused == 0 ? "" : String.format(Locale.ROOT,
                        " (%d reused from an earlier finalize of this run: same candidate, seed, settings, data and "
                                + "teacher)", reused)));
        List<FinalModelRow> rows = rows(finalists, results, request, teacher);
        run.finalModels().write(rows);
        for (FinalModelRow row : rows) {
            run.progress(deployable(row, "without", row.withoutKd()));
            if (row.withKd() != null) {
                run.progress(deployable(row, "with", row.withKd()));
            }
        }
        return rows;
    }

    /** One line per trained model: fp32 against int8 test mAP@0.5 and where the ONNX files are. */
    private static String deployable(FinalModelRow row, String distillation, FinalModelRow.Training training) {
        Double int8 = training.int8(io.sparknas.task.FinalExport::int8TestMap50);
        return String.format(Locale.ROOT, "final model rank %d seed %d %s distillation: test mAP@0.5 fp32 %.4f, "
                        + "int8 %s (%s calibration); %s, %s, C: %s", row.rank(), row.seed(), distillation,
                training.testMap50(), int8 == null ? "-" : String.format(Locale.ROOT, "%.4f", int8),
                training.file(io.sparknas.task.FinalExport::calibration), training.file(io.sparknas.task.FinalExport::onnx),
                training.file(io.sparknas.task.FinalExport::onnxInt8), training.file(io.sparknas.task.FinalExport::cModel));
    }

    /** Whether {@code finalist} is trained with distillation too: every candidate; the baseline when configured. */
    private boolean distilled(Finalist finalist) {
        return finalist.rank() != 0 || config.finals().baselineDistillation();
    }

    /** A model finalize trains: a chosen candidate (rank 1 the best), or the hand-designed baseline (rank 0). */
    private record Finalist(String candidateId, int rank, Proposer proposer, Architecture architecture,
                            CandidateCosts costs, double searchValMap50) {
    }

    /**
     * The MobileNetV2-style baseline ({@link MobileNetV2Baseline}) at the chosen candidates' input resolution, so
     * that it trains on the same images and distils from the same teacher outputs (which are on that resolution's
     * grid), its width the largest of the space's that fits the target; none, with a line saying so, when no width
     * fits.
     */
    private java.util.Optional<Finalist> baseline(SearchSpace cell) {
        int resolution = cell.resolutions().get(0);
        SearchSpace widths = config.space().withInputs(List.of(resolution), config.space().widths());
        CostModel costModel = new CostModel(widths, config.target(), config.cost());
        java.util.Optional<Architecture> chosen = MobileNetV2Baseline.choose(widths, costModel);
        if (chosen.isEmpty()) {
            run.progress("finalize: no MobileNetV2-style baseline fits " + config.target().name() + " at "
                    + resolution + " px; none trained");
            return java.util.Optional.empty();
        }
        Architecture architecture = chosen.get();
        CandidateCosts costs = CandidateCosts.of(costModel.evaluate(architecture));
        run.progress(String.format(Locale.ROOT, "finalize: baseline MobileNetV2-style (MBConv e%d k%d, deepest) %s: "
                        + "%.1f MMACs, peak SRAM %.1f KiB, %.1f ms on %s", MobileNetV2Baseline.EXPAND,
                MobileNetV2Baseline.KERNEL, architecture.shortName(), costs.macs() / 1e6, costs.peakSram() / 1024.0,
                costs.latencyMs(), config.target().name()));
        String id = String.format(Locale.ROOT, "baseline-mobilenetv2-r%d-w%.2f", resolution, architecture.width());
        return java.util.Optional.of(new Finalist(id, 0, Proposer.BASELINE, architecture, costs, Double.NaN));
    }

    private List<FinalModelRow> rows(List<Finalist> finalists, List<FinalTrainingResult> results, Request request,
                                     TeacherProvider.Resolved teacher) {
        Map<String, FinalTrainingResult> byKey = results.stream().collect(Collectors.toMap(
                r -> r.candidateId() + "/" + r.seed() + "/" + r.distill(), r -> r, (a, b) -> a));
        List<FinalModelRow> rows = new ArrayList<>();
        for (Finalist c : finalists) {
            for (long seed = 1; seed <= request.seeds(); seed++) {
                FinalTrainingResult plain = byKey.get(c.candidateId() + "/" + seed + "/false");
                FinalTrainingResult distilled = byKey.get(c.candidateId() + "/" + seed + "/true");
                if (plain == null || (distilled == null && distilled(c))) {
                    throw new IllegalStateException("candidate " + c.candidateId() + " seed " + seed
                            + " came back without " + (distilled(c) ? "both trainings" : "its training"));
                }
                rows.add(new FinalModelRow(run.id(), c.candidateId(), c.rank(), c.proposer(),
                        ArchitectureJson.encode(c.architecture()), c.costs().macs(), c.costs().params(),
                        c.costs().flashBytes(), c.costs().peakSram(), c.costs().latencyMs(), c.searchValMap50(),
                        config.finals().inherited() ? "inherited" : "scratch", seed, request.epochs(),
                        FinalModelRow.Training.of(plain),
                        distilled == null ? null : FinalModelRow.Training.of(distilled),
                        teacher.artifact().description(), teacher.testMap50(),
                        String.format(Locale.ROOT, "hosts %s/%s, attempts %d/%s; distillation %s; training %s",
                                plain.host(), distilled == null ? "-" : distilled.host(), plain.attempt(),
                                distilled == null ? "-" : String.valueOf(distilled.attempt()),
                                config.finals().distillation(), config.training().withEpochs(request.epochs()))));
            }
        }
        return rows;
    }

    /**
     * The teacher's outputs for the training images (each of their augmented views, when there are views), cached
     * in {@code teacher_outputs/}: computed across the executors and written there by them unless the table already
     * holds this teacher's; the training tasks read the table themselves ({@link TeacherOutputsSource}), so the
     * outputs never pass through the driver.
     */
    private TeacherOutputsSource teacherOutputs(TeacherArtifact artifact, int images, AugmentedViews views) {
        String fingerprint = fingerprint(artifact, views);
        int count = views == null ? 1 : views.count();
        TeacherOutputsSource source = new TeacherOutputsSource(run.teacherOutputs().location(), fingerprint, images,
                count);
        String what = images + " images" + (views == null ? "" : " x " + count + " augmented views");
        if (run.teacherOutputs().holds(fingerprint)) {
            run.progress("teacher outputs: " + what + " from " + run.teacherOutputs().location());
            return source;
        }
        long start = System.nanoTime();
        int slice = 64;
        List<Integer> starts = new ArrayList<>();
        for (int from = 0; from < images; from += slice) {
            starts.add(from);
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        context.setJobDescription("SparkNAS " + run.id() + ": teacher outputs for " + what);
        Broadcast<TeacherArtifact> broadcast = context.broadcast(artifact);
        try {
            run.teacherOutputs().write(fingerprint, context.parallelize(starts, starts.size())
                    .mapPartitions(new TeacherOutputsTask(broadcast, config.data(), slice, 32, views)), spark);
        } finally {
            broadcast.destroy();
        }
        run.progress(String.format(Locale.ROOT, "teacher outputs: %s in %.1f s -> %s", what,
                (System.nanoTime() - start) / 1e9, run.teacherOutputs().location()));
        return source;
    }

    /** The teacher's model, its side, the dataset, the views its outputs are for, and whether it is flip-averaged. */
    private String fingerprint(TeacherArtifact artifact, AugmentedViews views) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(artifact.model());
            digest.update((artifact.side() + "|" + config.data() + "|views=" + (views == null ? "none" : views)
                    + (artifact.flipAveraged() ? "|flip-averaged" : "")).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private byte[] supernet(Path checkpoint) {
        if (!Files.isRegularFile(checkpoint)) {
            throw new IllegalArgumentException("final.init = inherited needs the supernet the run searched with: "
                    + checkpoint + " does not exist (give it with --supernet)");
        }
        try {
            return Files.readAllBytes(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint, e);
        }
    }
}
