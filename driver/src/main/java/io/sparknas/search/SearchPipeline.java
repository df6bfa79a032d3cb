package io.sparknas.search;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.llm.LlmSettings;
import io.sparknas.results.RankedCell;
import io.sparknas.results.SpaceSelectionTable;
import io.sparknas.seed.Seeds;
import io.sparknas.selection.SpaceSelectionJob;
import io.sparknas.space.SearchSpace;
import io.sparknas.results.DriverFolder;
import io.sparknas.supernet.SupernetCheckpoint;
import io.sparknas.supernet.SupernetTrainer;
import io.sparknas.task.EvaluationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The stages of {@code sparknas search} after the configuration is validated: stage-1 space selection (or its
 * table from an earlier session of the run), the supernet in the chosen cell (trained, resumed, or given), then the
 * architecture search. Each stage leaves its result in the run folder, so a resumed run skips what is done.
 */
public final class SearchPipeline {

    private final SparkNasConfig config;
    private final SparkSession spark;
    private final String runId;
    private final String runDir;
    private final Consumer<String> progress;

    public SearchPipeline(SparkNasConfig config, SparkSession spark, String runId, String runDir,
                          Consumer<String> progress) {
        this.config = config;
        this.spark = spark;
        this.runId = runId;
        this.runDir = runDir;
        this.progress = progress;
    }

    /** What the search found. */
    public record Outcome(SearchSpace cell, SearchObjective<?> objective, List<CandidateRow> best, int candidates,
                          long feasible) {
    }

    /**
     * Runs every stage not yet done; {@code supernetFile} is a trained checkpoint to use instead of training one
     * (null: train it in the run folder's {@code supernet/}, through a local copy when the run folder is remote).
     */
    public Outcome run(Path supernetFile) {
        config.gatheredClassesNotice().ifPresent(progress);
        SearchSpace cell;
        Path checkpoint;
        if (supernetFile != null) {
            SupernetCheckpoint.Contents given = SupernetCheckpoint.load(supernetFile, config.space());
            cell = given.supernet().space();
            checkpoint = supernetFile;
            progress.accept(String.format(Locale.ROOT, "supernet: %s (%d epochs, cell %s px x %s)", supernetFile,
                    given.epoch(), cell.resolutions(), cell.widths()));
        } else {
            cell = selectCell();
            DriverFolder folder = DriverFolder.of(spark, runDir, "supernet");
            checkpoint = folder.path().resolve("supernet.ckpt");
            trainSupernet(cell, checkpoint, folder);
        }
        SupernetCheckpoint.Contents contents = SupernetCheckpoint.load(checkpoint, config.space());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint, e);
        }
        SearchSettings settings = config.search();
        EvaluationContext evaluation = new EvaluationContext(cell, config.data(),
                config.supernet().recalibrationBatches(), config.supernet().batchSize(),
                threadsPerTask(spark.sparkContext().getConf(), settings.threadsPerTask()), settings.failFirstAttempt());
        CostModel costModel = new CostModel(cell, config.target(), config.cost());
        String provenance = String.format(Locale.ROOT, "supernet %s epoch %d; BN recalibration %d x %d images",
                checkpoint.getFileName(), contents.epoch(), config.supernet().recalibrationBatches(),
                config.supernet().batchSize());
        progress.accept(String.format(Locale.ROOT, "search: %s (objective %s), population %d, %d generations, %d ND4J "
                        + "thread(s) per task, on %s", settings.mode(), settings.objective(), settings.population(), settings.generations(),
                evaluation.threadsPerTask(), config.target().name()));
        try (SparkScorer scorer = new SparkScorer(spark, bytes, evaluation, settings.partitions())) {
            CandidateLedger ledger = new CandidateLedger(runId, costModel, scorer,
                    Seeds.derive(config.run().seed(), "recalibration"), provenance);
            SearchObjective<?> objective = SearchObjective.named(settings.objective());
            search(objective, cell, ledger);
            long feasible = ledger.rows().stream().filter(CandidateRow::feasible).count();
            return new Outcome(cell, objective, objective.best(ledger.feasibleScored(), settings.top()),
                    ledger.rows().size(), feasible);
        }
    }

    private <C extends Comparable<? super C>> void search(SearchObjective<C> objective, SearchSpace cell,
                                                          CandidateLedger ledger) {
        new ArchitectureSearch<>(spark, runDir, config.search(), objective, cell, ledger,
                Seeds.derive(config.run().seed(), "search"), llmProposer(cell), progress).run();
    }

    /** The LLM proposer, or null (with one line saying why) when it is off. */
    private LlmProposer llmProposer(SearchSpace cell) {
        LlmSettings llm = config.llm();
        if (!llm.enabled()) {
            progress.accept("LLM proposer: off (llm.endpoint is not set); offspring come from the GA only");
            return null;
        }
        if (!config.search().mode().equals("ga")) {
            progress.accept("LLM proposer: not used in random mode (the baseline)");
            return null;
        }
        if (!llm.apiKeyEnv().isEmpty() && System.getenv(llm.apiKeyEnv()) == null) {
            progress.accept("LLM proposer: warning: environment variable " + llm.apiKeyEnv() + " is not set here; "
                    + "every executor needs it");
        }
        progress.accept(String.format(Locale.ROOT, "LLM proposer: %s at %s, %d request(s) per generation, %.0f %% of "
                        + "the offspring, breaker after %d consecutive failures", llm.model(), llm.endpoint(),
                llm.concurrency(), 100 * llm.fraction(), llm.breakerFailures()));
        return new LlmProposer(spark, llm, cell, config.target(), config.cost(), runId,
                Seeds.derive(config.run().seed(), "llm"), progress);
    }

    private SearchSpace selectCell() {
        String tableDir = runDir + "/" + SpaceSelectionTable.FOLDER;
        List<RankedCell> ranked;
        if (exists(tableDir)) {
            ranked = SpaceSelectionTable.read(spark, tableDir);
            progress.accept("stage 1: read " + tableDir);
        } else {
            CostModel model = new CostModel(config.space(), config.target(), config.cost());
            SpaceSelectionJob job = new SpaceSelectionJob(config.space(), model,
                    config.spaceSelection().samplesPerCell(), config.spaceSelection().partitions(), config.run().seed(),
                    config.spaceSelection().minFeasibleFraction());
            long start = System.nanoTime();
            ranked = job.run(spark);
            SpaceSelectionTable.write(spark, runDir, runId, config.target().name(), config.cost().plan().configName(),
                    ranked);
            progress.accept(String.format(Locale.ROOT, "stage 1: %d cells x %d samples in %.1f s", ranked.size(),
                    config.spaceSelection().samplesPerCell(), (System.nanoTime() - start) / 1e9));
        }
        RankedCell best = ranked.get(0);
        if (best.stats().feasible() == 0) {
            throw new IllegalArgumentException("no (resolution, width) cell has an architecture that fits "
                    + config.target().name() + ": loosen the budgets or widen the search space");
        }
        progress.accept(String.format(Locale.ROOT, "stage 1: best cell %d px x %.2f (%.0f %% of samples fit, mean "
                        + "%.1f MMACs)", best.stats().cell().resolution(), best.stats().cell().width(),
                100 * best.stats().feasibleFraction(), best.stats().meanMacs() / 1e6));
        return config.space().narrow(best.stats().cell().resolution(), best.stats().cell().width());
    }

    /** Trains (or resumes) the supernet; every epoch's checkpoint is stored in the run folder as it is written. */
    private void trainSupernet(SearchSpace cell, Path checkpoint, DriverFolder folder) {
        if (Files.isRegularFile(checkpoint)
                && SupernetCheckpoint.load(checkpoint, config.space()).epoch() >= config.supernet().epochs()) {
            progress.accept("supernet: already trained (" + checkpoint + ")");
            return;
        }
        DetectionDataset dataset = config.data().load(DataFiles.local());
        progress.accept(String.format(Locale.ROOT, "supernet: %d epochs of %d steps x %d of %d training images, largest "
                        + "+ smallest + %d random subnets per step", config.supernet().epochs(),
                config.supernet().steps(dataset.train().size()), config.supernet().batchSize(), dataset.train().size(),
                config.supernet().randomSubnets()));
        SupernetTrainer.Trained trained = new SupernetTrainer(cell, config.supernet(), checkpoint, progress,
                folder::publish).train(dataset.train(), dataset.val());
        progress.accept(String.format(Locale.ROOT, "supernet: trained in %.1f min", trained.seconds() / 60));
    }

    private boolean exists(String dir) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    /**
     * ND4J threads per scoring task: the configured number, or this machine's cores divided by the tasks one JVM
     * runs at once (N for {@code local[N]}, every core for {@code local[*]}, {@code spark.executor.cores} on a
     * cluster), so tasks x threads never oversubscribes the cores.
     */
    public static int threadsPerTask(SparkConf conf, int configured) {
        if (configured > 0) {
            return configured;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        String master = conf.get("spark.master", "local[*]");
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
        int concurrent;
        if (local.matches()) {
            concurrent = local.group(1).equals("*") ? cores : Integer.parseInt(local.group(1));
        } else if (master.equals("local")) {
            concurrent = 1;
        } else {
            concurrent = conf.getInt("spark.executor.cores", cores);
        }
        return Math.max(1, cores / Math.max(1, concurrent));
    }
}
