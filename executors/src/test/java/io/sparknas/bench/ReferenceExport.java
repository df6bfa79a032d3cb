package io.sparknas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.TensorShape;
import io.sparknas.data.Augmentation;
import io.sparknas.data.Box;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.data.DetectionTensors;
import io.sparknas.data.LabeledObject;
import io.sparknas.data.Split;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.net.YoloLoss;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Anchor;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Exports one DL4J detector for the PyTorch reference (bench/detection-reference/reference.py): the layer table of
 * {@link ArchitectureLowering} and the DL4J settings {@link DetectorNetworkBuilder} gives each layer as
 * {@code network.json}, every parameter array as little-endian float32 in {@code params.f32} (offsets and DL4J
 * shapes in the JSON), one letterboxed synthetic image as {@code input.f32} and the network's raw inference output
 * for it as {@code output.f32}. With {@code --batch=N}, also one augmented training batch of N synthetic images for
 * the loss and target check: {@code batch.json} (each image's size, objects, placement and colour jitter, and our
 * loss), the source pixels ({@code batch_images.u8}), the batch's input and labels from {@link DetectionBatches},
 * our network's output on it and {@link YoloLoss}'s gradient with respect to that output.
 *
 * <p>BatchNorm statistics, scales and shifts and the prediction bias are set to random values first, so that the
 * check exercises them (a fresh network has mean 0, variance 1, scale 1, shift 0 and bias 0); scales up to 3 let
 * activations reach ReLU6's clip.
 *
 * <p>Options: {@code --arch=FILE} (or {@code --sample=N}: the N-th random architecture of the default space,
 * seeded by N), {@code --resolution=R} (0: the architecture's), {@code --classes=C} (0: the default space's),
 * {@code --seed=S} (network initialisation), {@code --batch=N} (0: no batch), {@code --out=DIR}.
 */
public final class ReferenceExport {

    private ReferenceExport() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("arch", "");
        defaults.put("sample", "-1");
        defaults.put("resolution", "0");
        defaults.put("classes", "0");
        defaults.put("seed", "1");
        defaults.put("batch", "0");
        defaults.put("out", "target/reference-export");
        BenchOptions options = BenchOptions.parse(defaults, args);
        SearchSpace space = withClasses(TestSpaces.standard(), options.integer("classes"));
        Architecture architecture = options.get("arch").isEmpty()
                ? space.sample(new SplittableRandom(options.integer("sample")))
                : ArchitectureJson.decode(Files.readString(Path.of(options.get("arch"))));
        if (options.integer("resolution") > 0) {
            architecture = new Architecture(options.integer("resolution"), architecture.width(),
                    architecture.stages());
        }
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        LayerGraph graph = new ArchitectureLowering(space).lower(architecture);
        long seed = Long.parseLong(options.get("seed"));
        ComputationGraph network = DetectorNetworkBuilder.build(graph, space.head(), seed, new Adam(1e-3), 0);
        randomizeNormalization(network, graph, new SplittableRandom(seed));

        int side = architecture.resolution();
        INDArray input = image(side, seed);
        INDArray output = network.outputSingle(false, input);
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.set("architecture", ArchitectureJson.toTree(architecture));
        root.set("head", head(space.head()));
        root.set("input", shape(input));
        root.set("output", shape(output));
        ArrayNode layers = root.putArray("layers");
        try (OutputStream params = Files.newOutputStream(out.resolve("params.f32"))) {
            long offset = 0;
            for (Layer layer : graph.layers()) {
                ObjectNode row = layers.addObject();
                row.put("name", layer.name());
                row.put("op", layer.op().name());
                ArrayNode inputs = row.putArray("inputs");
                layer.inputs().forEach(inputs::add);
                row.set("in", shape(layer.in()));
                row.set("out", shape(layer.out()));
                row.put("kernel", layer.kernel());
                row.put("stride", layer.stride());
                row.put("activation", layer.activation().name());
                for (String vertex : new String[] {layer.name(), layer.name() + ".bn"}) {
                    if (!hasLayer(network, vertex)) {
                        continue;
                    }
                    ObjectNode arrays = row.putObject(vertex.endsWith(".bn") ? "batchNorm" : "params");
                    if (vertex.endsWith(".bn")) {
                        BatchNormalization conf =
                                (BatchNormalization) network.getLayer(vertex).conf().getLayer();
                        row.put("batchNormEps", conf.getEps());
                        row.put("batchNormLogStd", conf.isUseLogStd());
                    }
                    for (Map.Entry<String, INDArray> param : network.getLayer(vertex).paramTable().entrySet()) {
                        ObjectNode entry = arrays.putObject(param.getKey());
                        entry.put("offset", offset);
                        entry.set("shape", shape(param.getValue()));
                        offset += write(params, param.getValue());
                    }
                }
            }
        }
        try (OutputStream stream = Files.newOutputStream(out.resolve("input.f32"))) {
            write(stream, input);
        }
        try (OutputStream stream = Files.newOutputStream(out.resolve("output.f32"))) {
            write(stream, output);
        }
        Files.writeString(out.resolve("network.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        if (options.integer("batch") > 0) {
            exportBatch(network, space.head(), side, options.integer("batch"), seed, out);
        }
        System.out.printf("exported %s at %d px (%d layers, %d parameters) to %s%n", architecture.shortName(), side,
                graph.size(), network.numParams(), out);
    }

    /**
     * One augmented batch as the trainer builds it (DetectionBatches, epoch 0, not shuffled), with what the PyTorch
     * side needs to rebuild it: the colour jitter is drawn again from the same generator, in the order of
     * DetectionTensors.augmented and DetectionTensors.pixels.
     */
    private static void exportBatch(ComputationGraph network, HeadSpec head, int side, int count, long seed,
                                    Path out) throws IOException {
        List<DetectionImage> images = new SyntheticDetectionSet(new SyntheticSpec(160, count, 1, 1, seed))
                .split(Split.TRAIN);
        int grid = side / head.outputStride();
        Augmentation aug = Augmentation.DEFAULT;
        DataSet batch = new DetectionBatches(images, side, grid, DetectorEvaluator.anchorPairs(head), head.classes(),
                count, aug, false, seed).batch(0);
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("side", side);
        root.put("grid", grid);
        ObjectNode augmentation = root.putObject("augmentation");
        augmentation.put("flip", aug.flip()).put("scale", aug.scale()).put("translate", aug.translate())
                .put("brightness", aug.brightness()).put("contrast", aug.contrast())
                .put("saturation", aug.saturation());
        ArrayNode rows = root.putArray("images");
        try (OutputStream pixels = Files.newOutputStream(out.resolve("batch_images.u8"))) {
            for (int i = 0; i < images.size(); i++) {
                DetectionImage image = images.get(i);
                SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "augment", 0, i));
                DetectionTensors.Placement placement = DetectionTensors.augmented(image, side, aug, random);
                ObjectNode row = rows.addObject();
                row.put("id", image.id()).put("width", image.width()).put("height", image.height());
                row.put("scale", placement.scale()).put("offsetX", placement.offsetX())
                        .put("offsetY", placement.offsetY()).put("flip", placement.flip());
                row.put("brightness", random.nextDouble(-aug.brightness(), aug.brightness()));
                row.put("contrast", 1 + random.nextDouble(-aug.contrast(), aug.contrast()));
                row.put("saturation", 1 + random.nextDouble(-aug.saturation(), aug.saturation()));
                ArrayNode objects = row.putArray("objects");
                for (LabeledObject object : image.objects()) {
                    Box box = object.box();
                    objects.addArray().add(object.classId()).add(box.x1()).add(box.y1()).add(box.x2()).add(box.y2());
                }
                pixels.write(image.rgb());
            }
        }
        INDArray output = network.outputSingle(false, batch.getFeatures());
        long channels = output.size(1);
        INDArray rows2d = output.permute(0, 2, 3, 1).dup('c').reshape(-1, channels);
        INDArray labels2d = batch.getLabels().permute(0, 2, 3, 1).dup('c').reshape(-1, channels);
        YoloLoss loss = DetectorNetworkBuilder.loss(head, grid * grid);
        INDArray gradient = loss.computeGradient(labels2d, rows2d, new ActivationIdentity(), null);
        root.put("loss", network.score(batch));
        root.put("lossSum", loss.computeScore(labels2d, rows2d, new ActivationIdentity(), null, false));
        try (OutputStream stream = Files.newOutputStream(out.resolve("batch_input.f32"))) {
            write(stream, batch.getFeatures());
        }
        try (OutputStream stream = Files.newOutputStream(out.resolve("batch_labels.f32"))) {
            write(stream, batch.getLabels());
        }
        try (OutputStream stream = Files.newOutputStream(out.resolve("batch_output.f32"))) {
            write(stream, output);
        }
        try (OutputStream stream = Files.newOutputStream(out.resolve("batch_gradient.f32"))) {
            write(stream, gradient.reshape(output.size(0), grid, grid, channels).permute(0, 3, 1, 2));
        }
        Files.writeString(out.resolve("batch.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static SearchSpace withClasses(SearchSpace space, int classes) {
        if (classes <= 0) {
            return space;
        }
        HeadSpec head = space.head();
        return new SearchSpace(space.resolutions(), space.widths(), space.channelDivisor(), space.stemChannels(),
                space.stages(), space.convTypes(), space.kernels(), space.expandRatios(),
                new HeadSpec(head.channels(), classes, head.anchors(), head.outputStride()));
    }

    /** Random BatchNorm parameters and statistics and a random prediction bias, in DL4J's own storage. */
    private static void randomizeNormalization(ComputationGraph network, LayerGraph graph, SplittableRandom random) {
        for (Layer layer : graph.layers()) {
            if (hasLayer(network, layer.name() + ".bn")) {
                Map<String, INDArray> bn = network.getLayer(layer.name() + ".bn").paramTable();
                fill(bn.get("gamma"), random, 0.5, 3.0);
                fill(bn.get("beta"), random, -1.0, 1.0);
                fill(bn.get("mean"), random, -0.2, 0.2);
                if (bn.containsKey("var")) {
                    fill(bn.get("var"), random, 0.5, 1.5);
                } else {
                    fill(bn.get("log10stdev"), random, -0.15, 0.1);
                }
            }
        }
        String last = graph.layers().get(graph.size() - 1).name();
        fill(network.getLayer(last).paramTable().get("b"), random, -0.2, 0.2);
    }

    private static boolean hasLayer(ComputationGraph network, String name) {
        return network.getConfiguration().getVertices().containsKey(name) && network.getVertex(name).hasLayer();
    }

    private static void fill(INDArray array, SplittableRandom random, double low, double high) {
        for (long i = 0; i < array.length(); i++) {
            array.putScalar(i, random.nextDouble(low, high));
        }
    }

    /** One synthetic test image, letterboxed to {@code side} as the trainer feeds it: {@code [1, 3, side, side]}. */
    private static INDArray image(int side, long seed) {
        DetectionImage image = new SyntheticDetectionSet(new SyntheticSpec(160, 1, 1, 1, seed)).split(Split.TEST)
                .get(0);
        float[] pixels = new float[3 * side * side];
        DetectionTensors.pixels(image, DetectionTensors.letterbox(image, side), null, null, pixels, 0);
        return Nd4j.create(pixels, new long[] {1, 3, side, side}, 'c');
    }

    private static ObjectNode head(HeadSpec head) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("channels", head.channels());
        node.put("classes", head.classes());
        node.put("outputStride", head.outputStride());
        ArrayNode anchors = node.putArray("anchors");
        for (Anchor anchor : head.anchors()) {
            anchors.addArray().add(anchor.width()).add(anchor.height());
        }
        return node;
    }

    private static ArrayNode shape(INDArray array) {
        ArrayNode node = new ObjectMapper().createArrayNode();
        for (long dim : array.shape()) {
            node.add(dim);
        }
        return node;
    }

    private static ArrayNode shape(TensorShape shape) {
        return new ObjectMapper().createArrayNode().add(shape.height()).add(shape.width()).add(shape.channels());
    }

    /** Writes {@code array} in C order as little-endian float32; returns the number of values. */
    static long write(OutputStream stream, INDArray array) throws IOException {
        float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        stream.write(buffer.array());
        return values.length;
    }
}
