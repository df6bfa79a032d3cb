package io.sparknas.search;

import io.sparknas.config.SearchMode;
import io.sparknas.config.SearchSettings;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.llm.LlmSettings;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.DriverFolder;
import io.sparknas.run.RankedCell;
import io.sparknas.run.Run;
import io.sparknas.run.SpaceSelectionRow;
import io.sparknas.seed.Seeds;
import io.sparknas.selection.SpaceSelectionJob;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.SupernetCheckpoint;
import io.sparknas.supernet.SupernetTrainer;
import io.sparknas.task.EvaluationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The stages of {@code sparknas search} after the configuration is validated: stage-1 space selection (or its
 * table from an earlier session of the run), the supernet in the chosen cell (trained, resumed, or given), then the
 * architecture search. Each stage leaves its result in the run folder, so a resumed run skips what is done.
 */
public final class SearchPipeline {

    private final Run run;
    private final SparkNasConfig config;
    private final SparkSession spark;

    public SearchPipeline(Run run) {
        this.run = run;
        this.config = run.config();
        this.spark = run.spark();
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
        config.gatheredClassesNotice().ifPresent(run::progress);
        SearchSpace cell;
        Path checkpoint;
        if (supernetFile != null) {
            SupernetCheckpoint.Contents given = SupernetCheckpoint.load(supernetFile, config.space());
            cell = given.supernet().space();
            checkpoint = supernetFile;
            run.progress(String.format(Locale.ROOT, "supernet: %s (%d epochs, cell %s px x %s)", supernetFile,
                    given.epoch(), cell.resolutions(), cell.widths()));
        } else {
            cell = selectCell();
            DriverFolder folder = run.driverFolder("supernet");
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
                threadsPerTask(spark.sparkContext().getConf(), settings.threadsPerTask()), settings.failFirstAttempt(),
                config.evalEngine(), config.adaptationSteps(), config.adaptationLearningRate());
        CostModel costModel = new CostModel(cell, config.target(), config.cost());
        String provenance = String.format(Locale.ROOT, "supernet %s epoch %d; BN recalibration %d x %d images%s",
                checkpoint.getFileName(), contents.epoch(), config.supernet().recalibrationBatches(),
                config.supernet().batchSize(), evaluation.adaptationSteps() == 0 ? ""
                        : "; after " + evaluation.adaptationSteps() + " adaptation steps at "
                        + evaluation.adaptationLearningRate());
        run.progress(String.format(Locale.ROOT, "search: %s (objective %s), population %d, %d generations, %d ND4J "
                        + "thread(s) per task, on %s", settings.mode(), settings.objective(), settings.population(), settings.generations(),
                evaluation.threadsPerTask(), config.target().name()));
        try (SparkScorer scorer = new SparkScorer(spark, bytes, evaluation, settings.partitions())) {
            CandidateLedger ledger = new CandidateLedger(run.id(), run.candidates()::commit, costModel, scorer,
                    Seeds.derive(config.run().seed(), "recalibration"), provenance);
            SearchObjective<?> objective = SearchObjective.of(settings.objective(),
                    hypervolumeReference(settings.objective(), costModel, cell));
            search(objective, cell, ledger);
            long feasible = ledger.rows().stream().filter(CandidateRow::feasible).count();
            return new Outcome(cell, objective, objective.best(ledger.feasibleScored(), settings.top()),
                    ledger.rows().size(), feasible);
        }
    }

    private <C extends Comparable<? super C>> void search(SearchObjective<C> objective, SearchSpace cell,
                                                          CandidateLedger ledger) {
        new ArchitectureSearch<>(run, config.search(), objective, cell, ledger,
                Seeds.derive(config.run().seed(), "search"), llmProposer(cell)).run();
    }

    /**
     * The cost of the hypervolume's reference point: the target's latency budget (every candidate that fits is
     * within it), or when it has none, and for MACs, the cost of the cell's largest architecture.
     */
    static double hypervolumeReference(io.sparknas.config.Objective objective, CostModel costModel, SearchSpace cell) {
        io.sparknas.cost.Costs largest = costModel.evaluate(cell.largest());
        return switch (objective) {
            case MAP -> Double.NaN;
            case MAP_LATENCY -> costModel.target().latencyBudgetMs() > 0 ? costModel.target().latencyBudgetMs()
                    : largest.latencyMs();
            case MAP_MACS -> largest.macs() / 1e6;
        };
    }

    /** The LLM proposer, or null (with one line saying why) when it is off. */
    private LlmProposer llmProposer(SearchSpace cell) {
        LlmSettings llm = config.llm();
        if (!llm.enabled()) {
            run.progress("LLM proposer: off (llm.endpoint is not set); offspring come from the GA only");
            return null;
        }
        if (config.search().mode() != SearchMode.GA) {
            run.progress("LLM proposer: not used in " + config.search().mode() + " mode (only ga mixes it in)");
            return null;
        }
        if (!llm.apiKeyEnv().isEmpty() && System.getenv(llm.apiKeyEnv()) == null) {
            run.progress("LLM proposer: warning: environment variable " + llm.apiKeyEnv() + " is not set here; "
                    + "every executor needs it");
        }
        run.progress(String.format(Locale.ROOT, "LLM proposer: %s at %s, %d request(s) per generation, %.0f %% of "
                        + "the offspring, breaker after %d consecutive failures", llm.model(), llm.endpoint(),
                llm.concurrency(), 100 * llm.fraction(), llm.breakerFailures()));
        return new LlmProposer(run, llm, cell, config.target(), config.cost(),
                Seeds.derive(config.run().seed(), "llm"));
    }

    private SearchSpace selectCell() {
        List<RankedCell> ranked;
        if (run.spaceSelection().exists()) {
            ranked = run.spaceSelection().read().stream().map(SpaceSelectionRow::cell).toList();
            run.progress("stage 1: read " + run.spaceSelection().location());
        } else {
            SpaceSelectionJob job = new SpaceSelectionJob(config.space(), run.costModel(),
                    config.spaceSelection().samplesPerCell(), config.spaceSelection().partitions(), config.run().seed(),
                    config.spaceSelection().minFeasibleFraction());
            long start = System.nanoTime();
            ranked = job.run(spark);
            run.spaceSelection().write(ranked.stream().map(cell -> new SpaceSelectionRow(run.id(),
                    config.target().name(), cell, config.cost().plan().configName())).toList());
            run.progress(String.format(Locale.ROOT, "stage 1: %d cells x %d samples in %.1f s", ranked.size(),
                    config.spaceSelection().samplesPerCell(), (System.nanoTime() - start) / 1e9));
        }
        RankedCell best = ranked.get(0);
        if (best.stats().feasible() == 0) {
            throw new IllegalArgumentException("no (resolution, width) cell has an architecture that fits "
                    + config.target().name() + ": loosen the budgets or widen the search space");
        }
        run.progress(String.format(Locale.ROOT, "stage 1: best cell %d px x %.2f (%.0f %% of samples fit, mean "
                        + "%.1f MMACs)", best.stats().cell().resolution(), best.stats().cell().width(),
                100 * best.stats().feasibleFraction(), best.stats().meanMacs() / 1e6));
        return config.space().narrow(best.stats().cell().resolution(), best.stats().cell().width());
    }

    /** Trains (or resumes) the supernet; every epoch's checkpoint is stored in the run folder as it is written. */
    private void trainSupernet(SearchSpace cell, Path checkpoint, DriverFolder folder) {
        if (Files.isRegularFile(checkpoint)
                && SupernetCheckpoint.load(checkpoint, config.space()).epoch() >= config.supernet().epochs()) {
            run.progress("supernet: already trained (" + checkpoint + ")");
            return;
        }
        DetectionDataset dataset = config.data().load(DataFiles.local());
        run.progress(String.format(Locale.ROOT, "supernet: %d epochs of %d steps x %d of %d training images, largest "
                        + "+ smallest + %d random subnets per step", config.supernet().epochs(),
                config.supernet().steps(dataset.train().size()), config.supernet().batchSize(), dataset.train().size(),
                config.supernet().randomSubnets()));
        SupernetTrainer trainer = new SupernetTrainer(cell, config.supernet(), checkpoint, run.progress(),
                folder::publish, new CostModel(cell, config.target(), config.cost()))
                .withSteps(SparkSandwichSteps.on(spark, config.data(), config.supernetParallelism(),
                        threadsPerTask(spark.sparkContext().getConf(), config.search().threadsPerTask())));
        run.progress(SupernetTrainer.describe(trainer.ends(), new CostModel(cell, config.target(), config.cost())));
        SupernetTrainer.Trained trained = trainer.train(dataset.train(), dataset.val());
        run.progress(String.format(Locale.ROOT, "supernet: trained in %.1f min", trained.seconds() / 60));
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
