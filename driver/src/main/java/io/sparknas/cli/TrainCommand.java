package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.DetectionDataset;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.Architecture;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.TrainingSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sparknas train}: train one architecture and report its validation and test mAP. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one architecture on the configured dataset (train.*, data.*): one progress line per "
                + "epoch (loss, val mAP@0.5, images/s, ETA), early stopping on val mAP, a checkpoint after every "
                + "epoch (rerun with --resume to continue). Saves the best model to OUT/model.zip, reloads it and "
                + "reports val and test mAP; OUT/training.json holds those figures and every epoch. --init starts "
                + "from weights you have.", "",
                "Example: sparknas train --arch examples/arch-small.json --epochs 30 --out runs/small"})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--arch", required = true, paramLabel = "FILE", description = "Architecture JSON file.")
    Path arch;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: train.epochs).")
    Integer epochs;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for checkpoints and the final model.zip.")
    Path out;

    @Option(names = "--init", paramLabel = "FILE",
            description = "Start from these weights: a model zip of sparknas train or an ONNX backbone "
                    + "(same as --set train.init=FILE; see train.init in conf/sparknas.conf).")
    Path init;

    @Option(names = "--resume", description = "Continue from the checkpoint in OUT/checkpoint.")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        SparkNasConfig config = common.load();
        if (epochs != null && epochs < 1) {
            throw new UserInputException("--epochs: must be at least 1, got " + epochs);
        }
        Architecture architecture = ArchitectureFiles.read(arch, config.space());
        CostModel model = new CostModel(config.space(), config.target(), config.cost());
        LayerGraph graph = model.lower(architecture);
        Costs costs = model.evaluate(graph);
        TrainingSettings settings = epochs == null ? config.training() : config.training().withEpochs(epochs);
        Path checkpoint = out.resolve("checkpoint");
        if (!resume && Files.exists(checkpoint.resolve("state.json"))) {
            throw new UserInputException(checkpoint + " already holds a checkpoint: pass --resume to continue it, "
                    + "or choose another --out");
        }
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "%s: %.2f MMACs, %,d params, peak SRAM %,d B (%s), %s on %s%n",
                architecture.shortName(), costs.macs() / 1e6, costs.params(), costs.peakSram(),
                costs.plan().configName(), costs.feasible() ? "fits" : "does NOT fit", config.target().name());
        DetectionDataset dataset = DatasetLoading.loadForTraining(config, printer);
        config = FittedAnchors.apply(config, dataset, printer);
        // The head at the architecture's own resolution: anchors are fractions of the image side.
        io.sparknas.space.HeadSpec head = config.space().narrow(architecture.resolution(), architecture.width()).head();
        DetectorTrainer trainer = new DetectorTrainer(head, settings, checkpoint, line -> {
            printer.println(line);
            printer.flush();
        });
        Path initFrom = init != null ? init : config.trainingInit().orElse(null);
        DetectorTrainer.Trained trained;
        try {
            trained = trainer.train(graph, dataset.train(), dataset.val(), initFrom);
        } catch (java.io.UncheckedIOException e) {
            throw new UserInputException(e.getCause().getMessage());
        }
        Path modelFile = out.resolve("model.zip");
        Files.createDirectories(out);
        ModelSerializer.writeModel(trained.network(), modelFile.toFile(), false);
        ComputationGraph reloaded = ModelSerializer.restoreComputationGraph(modelFile.toFile(), false);
        DetectorEvaluator evaluator = new DetectorEvaluator(head, 32);
        int side = architecture.resolution();
        DetectionMetrics val = evaluator.evaluate(reloaded, dataset.val(), side);
        DetectionMetrics test = evaluator.evaluate(reloaded, dataset.test(), side);
        var result = trained.result();
        printer.printf(Locale.ROOT, "best val mAP@0.5 %.4f at epoch %d of %d%s; %.1f min, %.1f train images/s%n",
                result.bestValMap50(), result.bestEpoch(), result.epochsRun(),
                result.stoppedEarly() ? " (early stop)" : "", result.seconds() / 60, result.imagesPerSecond());
        printer.printf(Locale.ROOT, "model saved to %s; reloaded: val mAP@0.5 %.4f, mAP@[.5:.95] %.4f; "
                + "test mAP@0.5 %.4f, mAP@[.5:.95] %.4f; inference %.1f images/s%n", modelFile, val.map50(),
                val.mapCoco(), test.map50(), test.mapCoco(), test.imagesPerSecond());
        Path summary = new TrainingSummary(architecture.shortName(), side, costs.macs(), costs.params(),
                costs.peakSram(), config.data().describe(), settings.epochs(), result.epochsRun(), result.bestEpoch(),
                result.stoppedEarly(), val.map50(), val.mapCoco(), test.map50(), test.mapCoco(),
                TrainingSummary.minutes(result), TrainingSummary.history(result)).write(out);
        printer.printf(Locale.ROOT, "figures written to %s%n", summary);
        printer.flush();
        return 0;
    }
}
