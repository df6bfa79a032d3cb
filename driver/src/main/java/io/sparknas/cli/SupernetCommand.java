package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.data.DetectionDataset;
import io.sparknas.run.RankedCell;
import io.sparknas.search.SearchPipeline;
import io.sparknas.search.SparkSandwichSteps;
import io.sparknas.selection.SpaceSelectionJob;
import io.sparknas.spark.SparkSessions;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.SubnetEvaluator;
import io.sparknas.supernet.SubnetScore;
import io.sparknas.supernet.SupernetCheckpoint;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.supernet.SupernetTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas supernet}: train the weight-sharing supernet, or score one subnet with inherited weights. */
@Command(name = "supernet", mixinStandardHelpOptions = true,
        description = "Train the weight-sharing supernet, or score a subnet with the weights it inherits.",
        subcommands = {SupernetCommand.Train.class, SupernetCommand.Eval.class})
public final class SupernetCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sparknas supernet train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train the supernet (supernet.*) by the sandwich rule in one (resolution, width) cell: "
                    + "the best stage-1 cell for the target unless --resolution and --width are given. Each step's "
                    + "batch is spread over supernet.parallelism Spark tasks (spark.master). One "
                    + "progress line per epoch; the checkpoint OUT/supernet.ckpt is rewritten after every epoch "
                    + "(rerun with --resume to continue).", "",
                    "Example: sparknas supernet train --out runs/supernet --epochs 12"})
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for supernet.ckpt.")
        Path out;

        @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: supernet.epochs).")
        Integer epochs;

        @Option(names = "--resolution", paramLabel = "PX", description = "Input resolution of the cell.")
        Integer resolution;

        @Option(names = "--width", paramLabel = "W", description = "Width multiplier of the cell.")
        Double width;

        @Option(names = "--resume", description = "Continue from OUT/supernet.ckpt.")
        boolean resume;

        @Override
        public Integer call() {
            SparkNasConfig config = common.load();
            if (epochs != null && epochs < 1) {
                throw new UserInputException("--epochs: must be at least 1, got " + epochs);
            }
            if ((resolution == null) != (width == null)) {
                throw new UserInputException("--resolution and --width go together: give both, or neither for the "
                        + "best stage-1 cell");
            }
            PrintWriter printer = spec.commandLine().getOut();
            Path checkpoint = out.resolve("supernet.ckpt");
            if (!resume && Files.exists(checkpoint)) {
                throw new UserInputException(checkpoint + " already exists: pass --resume to continue it, or choose "
                        + "another --out");
            }
            DetectionDataset dataset = DatasetLoading.loadForTraining(config, printer);
            config = FittedAnchors.apply(config, dataset, printer);
            SearchSpace space = cellSpace(config, printer);
            SupernetSettings settings = epochs == null ? config.supernet() : config.supernet().withEpochs(epochs);
            printer.printf(Locale.ROOT, "supernet: cell %d px x %.2f, %d epochs, largest + smallest + %d random "
                            + "subnets per step%s%n", space.resolutions().get(0), space.widths().get(0),
                    settings.epochs(), settings.randomSubnets(),
                    settings.progressiveShrinking() ? ", progressive shrinking" : "");
            printer.flush();
            SupernetTrainer.Trained trained;
            try {
                CostModel costModel = new CostModel(space, config.target(), config.cost());
                SparkSession spark = SparkSessions.create(config.spark());
                SupernetTrainer trainer = new SupernetTrainer(space, settings, checkpoint, line -> {
                    printer.println(line);
                    printer.flush();
                }, () -> { }, costModel).withSteps(SparkSandwichSteps.on(spark, config.data(),
                        config.supernetParallelism(), SearchPipeline.threadsPerTask(spark.sparkContext().getConf(),
                                config.search().threadsPerTask())));
                printer.println(SupernetTrainer.describe(trainer.ends(), costModel));
                printer.flush();
                trained = trainer.train(dataset.train(), dataset.val());
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            printer.printf(Locale.ROOT, "supernet trained in %.1f min; checkpoint %s%n", trained.seconds() / 60,
                    checkpoint);
            printer.flush();
            return 0;
        }

        private SearchSpace cellSpace(SparkNasConfig config, PrintWriter printer) {
            if (resolution != null) {
                if (!config.space().resolutions().contains(resolution)) {
                    throw new UserInputException("--resolution: " + resolution + " is not in space.resolutions "
                            + config.space().resolutions());
                }
                double rounded = Math.round(width * 100.0) / 100.0;
                if (!config.space().widths().contains(rounded)) {
                    throw new UserInputException("--width: " + width + " is not in space.widths "
                            + config.space().widths());
                }
                return config.space().narrow(resolution, rounded);
            }
            CostModel model = new CostModel(config.space(), config.target(), config.cost());
            List<RankedCell> ranked = new SpaceSelectionJob(config.space(), model,
                    config.spaceSelection().samplesPerCell(), 0, config.run().seed(),
                    config.spaceSelection().minFeasibleFraction()).runLocally();
            RankedCell best = ranked.get(0);
            if (best.stats().feasible() == 0) {
                throw new UserInputException("no (resolution, width) cell has an architecture that fits "
                        + config.target().name() + ": give --resolution and --width, or a larger target");
            }
            printer.printf(Locale.ROOT, "stage 1 on %s: best cell %d px x %.2f (%.0f %% of samples fit)%n",
                    config.target().name(), best.stats().cell().resolution(), best.stats().cell().width(),
                    100 * best.stats().feasibleFraction());
            return config.space().narrow(best.stats().cell().resolution(), best.stats().cell().width());
        }
    }

    /** {@code sparknas supernet eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Score one architecture with the weights it inherits from a trained supernet: "
                    + "extraction, BatchNorm recalibration on supernet.recalibration-batches training batches, "
                    + "val mAP. Deterministic for a given checkpoint, architecture and --seed.", "",
                    "Example: sparknas supernet eval --supernet runs/supernet/supernet.ckpt --arch examples/arch-small.json"})
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--supernet", required = true, paramLabel = "FILE", description = "Supernet checkpoint.")
        Path supernetFile;

        @Option(names = "--arch", required = true, paramLabel = "FILE", description = "Architecture JSON file.")
        Path arch;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the recalibration batches (default: run.seed).")
        Long seed;

        @Option(names = "--stale", description = "Also report the mAP before BatchNorm recalibration.")
        boolean stale;

        @Override
        public Integer call() {
            SparkNasConfig config = common.load();
            PrintWriter printer = spec.commandLine().getOut();
            SupernetCheckpoint.Contents contents;
            try {
                if (java.nio.file.Files.isRegularFile(supernetFile)) {
                    config = FittedAnchors.fromCheckpoint(config, supernetFile, printer);
                }
                contents = SupernetCheckpoint.load(supernetFile, config.space());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            SearchSpace space = contents.supernet().space();
            Architecture architecture = ArchitectureFiles.read(arch, space);
            Costs costs = new CostModel(space, config.target(), config.cost()).evaluate(architecture);
            printer.printf(Locale.ROOT, "%s: %.2f MMACs, peak SRAM %,d B, Flash %,d B, %s on %s%n",
                    architecture.shortName(), costs.macs() / 1e6, costs.peakSram(), costs.flash().total(),
                    costs.feasible() ? "fits" : "does NOT fit", config.target().name());
            DetectionDataset dataset = DatasetLoading.loadForTraining(config, printer);
            SubnetEvaluator evaluator = new SubnetEvaluator(contents.supernet(), dataset.train(), dataset.val(),
                    config.supernet().recalibrationBatches(), config.supernet().batchSize(),
                    seed != null ? seed : config.run().seed());
            SubnetScore score = evaluator.evaluate(architecture, stale);
            printer.printf(Locale.ROOT, "inherited weights (supernet after %d epochs): val mAP@0.5 %.4f, "
                    + "mAP@[.5:.95] %.4f after BatchNorm recalibration%s; %.1f s%n", contents.epoch(), score.map50(),
                    score.mapCoco(), stale ? String.format(Locale.ROOT, " (%.4f before)", score.map50Stale()) : "",
                    score.seconds());
            printer.flush();
            return 0;
        }
    }
}
