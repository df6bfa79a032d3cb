package io.sparknas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.DetectionDataset;
import io.sparknas.export.OnnxExport;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Anchor;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.HeadSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.learning.config.NoOp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas export}: a trained detector in a format other tools run. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained detector (a model.zip of 'sparknas train' and the architecture it was "
                + "trained for) as ONNX (opset 13): BatchNorm folded into the convolutions, input 'images' [N, 3, S, S] "
                + "RGB in [0, 1] letterboxed, output 'predictions', the raw YOLO grid [N, A*(5+C), G, G]; the "
                + "architecture, classes, anchors and preprocessing in the model's metadata. The anchors are fitted to "
                + "the training labels as 'train' fitted them (same configuration and data).", "",
                "Example: sparknas export --model runs/small/model.zip --arch examples/arch-small.json "
                        + "--out runs/small/model.onnx"})
final class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The trained model (model.zip).")
    Path model;

    @Option(names = "--arch", required = true, paramLabel = "FILE",
            description = "The architecture the model was trained for (JSON, as given to 'sparknas train').")
    Path arch;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "Output format: onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("onnx")) {
            throw new UserInputException("--format: " + format + " is not a format this version writes; use onnx");
        }
        if (!Files.isRegularFile(model)) {
            throw new UserInputException("--model: " + model + " not found");
        }
        SparkNasConfig config = common.load();
        Architecture architecture = ArchitectureFiles.read(arch, config.space());
        PrintWriter printer = spec.commandLine().getOut();
        DetectionDataset dataset = DatasetLoading.loadForTraining(config, printer);
        config = FittedAnchors.apply(config, dataset, printer);
        HeadSpec head = config.space().narrow(architecture.resolution(), architecture.width()).head();
        LayerGraph graph = new CostModel(config.space(), config.target(), config.cost()).lower(architecture);
        ComputationGraph network;
        try {
            network = ModelSerializer.restoreComputationGraph(model.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("--model: " + model + " is not a DL4J model zip: " + e.getMessage(), e);
        }
        long expected = DetectorNetworkBuilder.build(graph, head, 0, new NoOp(), 0).numParams();
        if (network.numParams() != expected) {
            throw new UserInputException("--model " + model + " has " + network.numParams() + " parameters, --arch "
                    + arch + " needs " + expected + ": give the architecture the model was trained for");
        }
        int side = architecture.resolution();
        byte[] bytes;
        try {
            bytes = OnnxExport.export(network, graph, OnnxExport.metadata(ArchitectureJson.encode(architecture),
                    config.classes().names(), anchors(head, side), side));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserInputException("--model " + model + " does not match --arch " + arch + ": "
                    + e.getMessage(), e);
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = parent.resolve(out.getFileName() + ".partial");
        Files.write(partial, bytes);
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        printer.printf(Locale.ROOT, "exported %s (%s, %d px, %d classes) to %s: ONNX opset %d, %,d bytes%n",
                model, architecture.shortName(), side, head.classes(), out, OnnxExport.OPSET, bytes.length);
        printer.flush();
        return 0;
    }

    /** The anchors as the metadata gives them: grid cells (what the decoder multiplies) and the grid. */
    private static String anchors(HeadSpec head, int side) {
        ObjectNode root = JSON.createObjectNode();
        int grid = side / head.outputStride();
        root.put("grid", grid);
        root.put("stride", head.outputStride());
        ArrayNode cells = root.putArray("grid_cells");
        ArrayNode fractions = root.putArray("fractions_of_side");
        for (Anchor anchor : head.anchors()) {
            cells.addArray().add(anchor.width()).add(anchor.height());
            fractions.addArray().add(anchor.width() / grid).add(anchor.height() / grid);
        }
        return root.toString();
    }
}
