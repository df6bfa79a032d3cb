package io.sparknas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.DetectionDataset;
import io.sparknas.export.Calibration;
import io.sparknas.export.DeploymentExport;
import io.sparknas.export.FoldedDetector;
import io.sparknas.export.OnnxExport;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.run.FinalModelRow;
import io.sparknas.run.LocalCopy;
import io.sparknas.run.Run;
import io.sparknas.run.RunIds;
import io.sparknas.run.RunNotFoundException;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.HeadSpec;
import io.sparknas.spark.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.learning.config.NoOp;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas export}: a trained detector in a format other tools run. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained detector (a model.zip of 'sparknas train' and the architecture it was "
                + "trained for, or a finalized run's final model: --run RUN [--rank N]) as ONNX (opset 13), fp32 or "
                + "int8 (--format onnx-int8): BatchNorm folded into the convolutions, input 'images' [N, 3, S, S] "
                + "RGB in [0, 1] letterboxed, output 'predictions', the raw YOLO grid [N, A*(5+C), G, G]; the "
                + "architecture, classes, anchors and preprocessing in the model's metadata. The anchors are fitted to "
                + "the training labels as 'train' fitted them (same configuration and data). --format c writes the "
                + "int8 model as C99 for a microcontroller into the folder --out: model.h / model.c (weights in const "
                + "arrays, one static arena of the planned peak SRAM, no malloc, no floating point), the kernels, "
                + "model.json and check vectors; scripts/mcu-check.sh DIR runs it on a Cortex-M7 under QEMU.", "",
                "Example: sparknas export --model runs/small/model.zip --arch examples/arch-small.json "
                        + "--out runs/small/model.onnx",
                "         sparknas export --run search-20261126-101500-ab12 --format onnx-int8 --out best-int8.onnx",
                "         sparknas export --run search-20261126-101500-ab12 --format c --out best-c"})
final class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The model file being exported (the given one, or a local copy of a run's). */
    private Path model;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** What to export: a trained model and its architecture, or a run's final model. */
    static final class Source {
        @ArgGroup(exclusive = false)
        Trained trained;

        @ArgGroup(exclusive = false)
        Final finalModel;
    }

    /** {@code --model FILE --arch FILE}. */
    static final class Trained {
        @Option(names = "--model", required = true, paramLabel = "FILE",
                description = "The trained model (model.zip of 'sparknas train').")
        Path model;

        @Option(names = "--arch", required = true, paramLabel = "FILE",
                description = "The architecture the model was trained for (JSON, as given to 'sparknas train').")
        Path arch;
    }

    /** {@code --run RUN [--rank N] [--output DIR]}. */
    static final class Final {
        @Option(names = "--run", required = true, paramLabel = "RUN_ID",
                description = "A finalized run: export one of its final models (its recorded configuration, anchors "
                        + "and classes; the model with or without distillation, whichever scored the better val mAP).")
        String run;

        @Option(names = "--rank", paramLabel = "N", defaultValue = "1",
                description = "The final model's rank in the run (default: ${DEFAULT-VALUE}, the best).")
        int rank;

        @Option(names = "--output", paramLabel = "DIR", description = "Results folder (default: run.output-dir).")
        String output;
    }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "onnx (fp32), onnx-int8 (post-training quantization, QDQ: int8 weights per output "
                    + "channel, int8 activations per tensor, int32 biases; calibrated on --calibration-images "
                    + "training images by min-max, by percentile and by least squared error, the one with the best "
                    + "val mAP@0.5 written) or c (that int8 model as C code, --out is a folder). "
                    + "Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--calibration-images", paramLabel = "N", defaultValue = "256",
            description = "Training images to calibrate int8 activation ranges on (default: ${DEFAULT-VALUE}).")
    int calibrationImages;

    @Option(names = "--check-images", paramLabel = "N", defaultValue = "10",
            description = "With --format c: val images whose reference outputs are written as check vectors "
                    + "(default: ${DEFAULT-VALUE}).")
    int checkImages;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "The file to write (a folder with --format c).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!List.of("onnx", "onnx-int8", "c").contains(format)) {
            throw new UserInputException("--format: " + format + " is not a format this version writes; use onnx, "
                    + "onnx-int8 or c");
        }
        if (checkImages < 1) {
            throw new UserInputException("--check-images: must be at least 1, got " + checkImages);
        }
        if (calibrationImages < 1) {
            throw new UserInputException("--calibration-images: must be at least 1, got " + calibrationImages);
        }
        PrintWriter printer = spec.commandLine().getOut();
        Chosen chosen = source.trained != null ? trained(printer) : fromRun(printer);
        SparkNasConfig config = chosen.config();
        Architecture architecture = chosen.architecture();
        DetectionDataset dataset = chosen.dataset();
        model = chosen.model();
        HeadSpec head = config.space().narrow(architecture.resolution(), architecture.width()).head();
        LayerGraph graph = new CostModel(config.space(), config.target(), config.cost()).lower(architecture);
        ComputationGraph network;
        try {
            network = ModelSerializer.restoreComputationGraph(model.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException(chosen.what() + ": " + model + " is not a DL4J model zip: " + e.getMessage(),
                    e);
        }
        long expected = DetectorNetworkBuilder.build(graph, head, 0, new NoOp(), 0).numParams();
        if (network.numParams() != expected) {
            throw new UserInputException(chosen.what() + ": " + model + " has " + network.numParams()
                    + " parameters, its architecture needs " + expected
                    + ": give the architecture the model was trained for");
        }
        int side = architecture.resolution();
        Map<String, String> metadata = OnnxExport.metadata(ArchitectureJson.encode(architecture),
                config.classes().names(), OnnxExport.anchors(head, side), side);
        FoldedDetector folded;
        try {
            folded = FoldedDetector.of(network, graph);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserInputException(chosen.what() + ": " + model + " does not match its architecture: "
                    + e.getMessage(), e);
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (format.equals("c")) {
            DeploymentExport.Result result = quantize(folded, architecture.shortName(), metadata, dataset, head, side,
                    printer);
            writeFolder(DeploymentExport.cModel(folded, result, metadata, dataset, head, side, checkImages), printer);
            return 0;
        }
        byte[] bytes = format.equals("onnx") ? OnnxExport.model(folded, metadata, false).toByteArray()
                : quantize(folded, architecture.shortName(), metadata, dataset, head, side, printer).int8();
        Path partial = parent.resolve(out.getFileName() + ".partial");
        Files.write(partial, bytes);
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        printer.printf(Locale.ROOT, "exported %s (%s, %d px, %d classes) to %s: ONNX opset %d, %,d bytes%n",
                model, architecture.shortName(), side, head.classes(), out, OnnxExport.OPSET, bytes.length);
        printer.flush();
        return 0;
    }

    /** The model to export, its architecture, the configuration it was trained with and the data. */
    private record Chosen(Path model, Architecture architecture, SparkNasConfig config, DetectionDataset dataset,
                          String what) {
    }

    private Chosen trained(PrintWriter printer) {
        if (!Files.isRegularFile(source.trained.model)) {
            throw new UserInputException("--model: " + source.trained.model + " not found");
        }
        SparkNasConfig config = common.load();
        Architecture architecture = ArchitectureFiles.read(source.trained.arch, config.space());
        DetectionDataset dataset = DatasetLoading.loadForTraining(config, printer);
        config = FittedAnchors.apply(config, dataset, printer);
        return new Chosen(source.trained.model, architecture, config, dataset, "--model");
    }

    /**
     * A run's final model of {@code --rank}: its first seed, the variant (with or without distillation) with the
     * better val mAP.
     */
    private Chosen fromRun(PrintWriter printer) {
        SparkNasConfig given = common.load();
        SparkSession spark = SparkSessions.create(given.spark());
        String outputDir = source.finalModel.output != null ? source.finalModel.output : given.run().outputDir();
        Run run;
        try {
            run = Run.open(spark, outputDir, RunIds.validate(source.finalModel.run), given, printer::println);
        } catch (RunNotFoundException e) {
            throw new UserInputException("--run " + source.finalModel.run + ": " + e.getMessage()
                    + " (is --output or run.output-dir the folder the run was written to?)", e);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--run: " + e.getMessage(), e);
        }
        refuseGridCellAnchors(run);
        SparkNasConfig config = common.loadRecorded(run.manifest(), "export", List.of("spark.", "run.output-dir"));
        if (!run.finalModels().exists()) {
            throw new UserInputException("--run " + source.finalModel.run + " has no final models yet: run "
                    + "'sparknas finalize --run " + source.finalModel.run + "' first");
        }
        FinalModelRow row = run.finalModels().read().stream().filter(r -> r.rank() == source.finalModel.rank)
                .min(java.util.Comparator.comparingLong(FinalModelRow::seed)).orElseThrow(() -> new UserInputException(
                        "--rank " + source.finalModel.rank + ": the run's final models have ranks "
                                + run.finalModels().read().stream().map(FinalModelRow::rank).distinct().sorted().toList()));
        FinalModelRow.Training deployed = row.deployed();
        String artifact = deployed.artifact();
        printer.printf(Locale.ROOT, "final model rank %d, seed %d, %s distillation (val mAP@0.5 %.4f, test %.4f): %s%n",
                row.rank(), row.seed(), deployed == row.withoutKd() ? "without" : "with", deployed.valMap50(),
                deployed.testMap50(), artifact);
        Path local = LocalCopy.of(artifact, spark, "--run " + source.finalModel.run + " model");
        DetectionDataset dataset = config.data().load(io.sparknas.data.DataFiles.local());
        return new Chosen(local, ArchitectureJson.decode(row.architecture()), config, dataset,
                "--run " + source.finalModel.run + " rank " + row.rank());
    }

    /**
     * Refuses a run recorded before anchors were fractions of the image side ({@code space.head.anchor-boxes}): its
     * models were trained to decode with anchors fixed in grid cells, which the recorded configuration no longer
     * yields, so an export would carry other anchors and score near zero without saying why.
     */
    private void refuseGridCellAnchors(Run run) {
        JsonNode head;
        try {
            head = JSON.readTree(run.manifest().configJson()).path("space").path("head");
        } catch (java.io.IOException e) {
            throw new UserInputException("--run " + source.finalModel.run + ": its run.json cannot be read: "
                    + e.getMessage(), e);
        }
        if (!head.has("anchor-boxes")) {
            throw new UserInputException("--run " + source.finalModel.run + " was recorded before anchors were "
                    + "fractions of the image side (its run.json has space.head.anchors " + head.path("anchors")
                    + " in grid cells): this version cannot decode its models as they were trained; export the model "
                    + "with --model and --arch and --set space.head.anchor-boxes to the anchors in grid cells divided by "
                    + "the grid side, or finalize the run again");
        }
    }

    /**
     * The C export in the folder {@code --out}: written into a staging folder beside it, then moved into place, so a
     * failure leaves no half-written model and an earlier export stays until the new one is complete.
     */
    private void writeFolder(Map<String, byte[]> files, PrintWriter printer) throws IOException {
        Path target = out.toAbsolutePath();
        if (Files.isRegularFile(target)) {
            throw new UserInputException("--out: " + out + " is a file; --format c writes a folder");
        }
        Path staging = target.resolveSibling(target.getFileName() + ".partial");
        deleteTree(staging);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = staging.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        Path previous = target.resolveSibling(target.getFileName() + ".previous");
        deleteTree(previous);
        if (Files.exists(target)) {
            Files.move(target, previous, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        deleteTree(previous);
        JsonNode manifest = JSON.readTree(files.get("model.json"));
        printer.printf(Locale.ROOT, "exported %s as C to %s: arena %,d bytes (planned peak %,d), %,d bytes of "
                        + "weights, biases and requantization (modelled), %d check images; run it on a Cortex-M7 "
                        + "under QEMU: scripts/mcu-check.sh %s%n", model, out, manifest.get("arena_bytes").asLong(),
                manifest.get("planned_peak_bytes").asLong(), manifest.get("modeled_flash_bytes").asLong(),
                manifest.get("check_images").asInt(), out);
        printer.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * {@link DeploymentExport} of the model: ranges calibrated on the first {@code --calibration-images} training
     * images by each method, the int8 variant with the best val mAP kept; the fp32 and every int8 variant scored on the
     * val and test splits, printed, and recorded in {@code OUT.json}.
     */
    private DeploymentExport.Result quantize(FoldedDetector folded, String architecture, Map<String, String> metadata,
                                             DetectionDataset dataset, HeadSpec head, int side, PrintWriter printer)
            throws IOException {
        DeploymentExport.Result result = DeploymentExport.of(folded, metadata, dataset, head, side, calibrationImages,
                Runtime.getRuntime().availableProcessors(), line -> {
                    printer.println(line);
                    printer.flush();
                });
        ObjectNode record = JSON.createObjectNode();
        record.put("model", model.toString());
        record.put("architecture", architecture);
        record.put("calibration_images", result.calibrationImages());
        record.put("fp32_val_map50", result.fp32Scores().valMap50());
        putScore(record, "fp32_test_map50", result.fp32Scores().testMap50());
        ObjectNode methods = record.putObject("int8");
        for (Map.Entry<Calibration.Method, DeploymentExport.Scores> entry : result.int8Scores().entrySet()) {
            ObjectNode row = methods.putObject(entry.getKey().configName());
            row.put("val_map50", entry.getValue().valMap50());
            putScore(row, "test_map50", entry.getValue().testMap50());
        }
        record.put("chosen", result.chosen().configName());
        printer.printf(Locale.ROOT, "int8: %s calibration kept (val mAP@0.5 %.4f, %+.4f against fp32)%n",
                result.chosen().configName(), result.chosenScores().valMap50(),
                result.chosenScores().valMap50() - result.fp32Scores().valMap50());
        Path summary = out.resolveSibling(out.getFileName() + ".json");
        Files.writeString(summary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record) + "\n");
        return result;
    }

    private static void putScore(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
