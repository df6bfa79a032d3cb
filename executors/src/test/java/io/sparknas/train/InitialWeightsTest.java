package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class InitialWeightsTest {

    @TempDir
    Path dir;

    private final SearchSpace space = TestSpaces.standard();

    private LayerGraph graph() throws IOException {
        Architecture arch = ArchitectureJson.decode(Files.readString(Path.of("../examples/arch-small.json")));
        return new ArchitectureLowering(space).lower(arch.withInput(64, arch.width()));
    }

    private static HeadSpec withClasses(HeadSpec head, int classes) {
        return new HeadSpec(head.channels(), classes, head.anchors(), head.outputStride());
    }

    @Test
    void aModelZipStartsAnotherDatasetsDetectorExceptItsPredictionLayer() throws IOException {
        LayerGraph four = graph();
        ComputationGraph trained = DetectorNetworkBuilder.build(four, space.head(), 1, new Adam(1e-3), 0);
        trained.getLayer("stem.bn").getParam("mean").assign(0.25);
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(trained, zip.toFile(), false);

        HeadSpec tenClasses = withClasses(space.head(), 10);
        LayerGraph ten = new ArchitectureLowering(withHead(space, tenClasses)).lower(
                ArchitectureJson.decode(Files.readString(Path.of("../examples/arch-small.json"))).withInput(64, 0.5));
        ComputationGraph fresh = DetectorNetworkBuilder.build(ten, tenClasses, 2, new Adam(1e-3), 0);
        WeightTransfer.Report report = InitialWeights.apply(fresh, ten, zip);

        long convolutions = ten.layers().stream().filter(l -> l.op() == LayerOp.CONV || l.op() == LayerOp.DEPTHWISE)
                .count();
        assertEquals(convolutions, report.total());
        assertEquals(convolutions - 1, report.copied(), report.describe());
        assertEquals(1, report.skipped().size());
        assertTrue(report.skipped().get(0).startsWith("head.pred (head.pred:"), report.describe());
        for (Layer layer : ten.layers()) {
            if (layer.op() == LayerOp.CONV && !layer.name().equals("head.pred") || layer.op() == LayerOp.DEPTHWISE) {
                assertEquals(trained.getLayer(layer.name()).getParam("W"), fresh.getLayer(layer.name()).getParam("W"),
                        layer.name());
            }
        }
        assertEquals(0.25, fresh.getLayer("stem.bn").getParam("mean").getDouble(0), 1e-7, "BatchNorm copied too");
        assertNotEquals(trained.getLayer("head.conv").getParam("W").shape()[0], 0);

        IOException notAModel = assertThrows(IOException.class,
                () -> InitialWeights.apply(fresh, ten, Files.writeString(dir.resolve("notes.txt"), "hello")));
        assertTrue(notAModel.getMessage().startsWith("train.init: " + dir.resolve("notes.txt")
                + " is neither an ONNX model (.onnx) nor a DL4J model zip"), notAModel.getMessage());
    }

    /**
     * An ONNX stem and first depthwise convolution (each followed by ReLU6), one with its BatchNorm as a node and
     * one with BatchNorm folded into a bias, from random parameters: after the copy our network computes what ONNX
     * Runtime computes on the same image, and the layers after them keep their own initialisation.
     */
    @Test
    void anOnnxBackbonesConvolutionsAndBatchNormsStartOursInOrder() throws Exception {
        LayerGraph graph = graph();
        List<Layer> convs = graph.layers().stream()
                .filter(l -> l.op() == LayerOp.CONV || l.op() == LayerOp.DEPTHWISE).toList();
        Layer stem = convs.get(0);
        Layer depthwise = convs.get(1);
        assertEquals(LayerOp.DEPTHWISE, depthwise.op());
        assertEquals(io.sparknas.cost.Activation.RELU6, depthwise.activation());
        int c = (int) stem.out().channels();
        SplittableRandom random = new SplittableRandom(5);
        float[] stemW = normal(random, c * 3 * 9, 0.3);
        float[] gamma = uniform(random, c, 0.5, 1.5);
        float[] beta = normal(random, c, 0.2);
        float[] mean = normal(random, c, 0.1);
        float[] var = uniform(random, c, 0.2, 2.0);
        float[] dwW = normal(random, c * 9, 0.3);
        float[] dwB = normal(random, c, 0.2);
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("backbone")
                .addInput(valueInfo("x", 1, 3, 64, 64)).addOutput(valueInfo("y", 1, c, 32, 32));
        g.addInitializer(tensor("stem.w", stemW, c, 3, 3, 3)).addInitializer(tensor("bn.g", gamma, c))
                .addInitializer(tensor("bn.b", beta, c)).addInitializer(tensor("bn.m", mean, c))
                .addInitializer(tensor("bn.v", var, c)).addInitializer(tensor("dw.w", dwW, c, 1, 3, 3))
                .addInitializer(tensor("dw.b", dwB, c)).addInitializer(tensor("lo", new float[] {0}))
                .addInitializer(tensor("hi", new float[] {6}));
        g.addNode(conv("stem", "x", "stem.w", null, "s", 2, 1));
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("BatchNormalization").setName("stem_bn")
                .addInput("s").addInput("bn.g").addInput("bn.b").addInput("bn.m").addInput("bn.v").addOutput("sn")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("epsilon").setF(1e-3f)
                        .setType(Onnx.AttributeProto.AttributeType.FLOAT)));
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Clip").setName("relu6").addInput("sn").addInput("lo")
                .addInput("hi").addOutput("sa"));
        g.addNode(conv("dw", "sa", "dw.w", "dw.b", "d", 1, c));
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Clip").setName("relu6b").addInput("d").addInput("lo")
                .addInput("hi").addOutput("y"));
        Onnx.ModelProto model = Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
        Path file = dir.resolve("backbone.onnx");
        Files.write(file, model.toByteArray());

        ComputationGraph network = DetectorNetworkBuilder.build(graph, space.head(), 3, new Adam(1e-3), 0);
        INDArray laterBefore = network.getLayer(convs.get(2).name()).getParam("W").dup();
        WeightTransfer.Report report = InitialWeights.apply(network, graph, file);
        assertEquals(2, report.copied(), report.describe());
        assertTrue(report.skipped().get(0).startsWith(convs.get(2).name() + " (the ONNX model has only 2"),
                report.describe());
        assertEquals(laterBefore, network.getLayer(convs.get(2).name()).getParam("W"), "the rest keeps its weights");

        float[] image = uniform(random, 3 * 64 * 64, 0, 1);
        Map<String, INDArray> ours = network.feedForward(Nd4j.create(image, new long[] {1, 3, 64, 64}, 'c'), false);
        float[] expected;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), new long[] {1, 3, 64, 64});
             OrtSession.Result result = session.run(Map.of("x", x))) {
            expected = ((OnnxTensor) result.get(0)).getFloatBuffer().array();
        }
        float[] actual = ours.get(depthwise.name() + ".act").dup('c').data().asFloat();
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < 1e-4, "largest difference from ONNX Runtime " + worst);
    }

    @Test
    void aBackboneOfOtherShapesCopiesNothingAndSaysWhere() throws IOException {
        LayerGraph graph = graph();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("other")
                .addInitializer(tensor("w", new float[12 * 3 * 9], 12, 3, 3, 3));
        g.addNode(conv("c", "x", "w", null, "y", 2, 1));
        Path file = dir.resolve("other.onnx");
        Files.write(file, Onnx.ModelProto.newBuilder().setIrVersion(7).setGraph(g).build().toByteArray());
        ComputationGraph network = DetectorNetworkBuilder.build(graph, space.head(), 3, new Adam(1e-3), 0);
        WeightTransfer.Report report = InitialWeights.apply(network, graph, file);
        assertEquals(0, report.copied());
        assertTrue(report.skipped().get(0).contains("ONNX c is [12, 3, 3, 3] group 1, ours [" + graph.layers().get(0)
                .out().channels() + ", 3, 3, 3] group 1; the copy stops here"), report.describe());
        assertFalse(report.describe().isEmpty());
        Files.write(dir.resolve("junk.onnx"), new byte[] {1, 2, 3, 4, 5});
        IOException junk = assertThrows(IOException.class,
                () -> InitialWeights.apply(network, graph, dir.resolve("junk.onnx")));
        assertTrue(junk.getMessage().startsWith("train.init: "), junk.getMessage());
    }

    private static SearchSpace withHead(SearchSpace s, HeadSpec head) {
        return new SearchSpace(s.resolutions(), s.widths(), s.channelDivisor(), s.stemChannels(), s.stages(),
                s.convTypes(), s.kernels(), s.expandRatios(), head);
    }

    private static Onnx.NodeProto conv(String name, String input, String weights, String bias, String output,
                                       int stride, int group) {
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setOpType("Conv").setName(name).addInput(input)
                .addInput(weights).addOutput(output)
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("strides").addInts(stride).addInts(stride)
                        .setType(Onnx.AttributeProto.AttributeType.INTS))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("auto_pad")
                        .setS(org.nd4j.shade.protobuf.ByteString.copyFromUtf8("SAME_UPPER"))
                        .setType(Onnx.AttributeProto.AttributeType.STRING))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("group").setI(group)
                        .setType(Onnx.AttributeProto.AttributeType.INT));
        if (bias != null) {
            node.addInput(bias);
        }
        return node.build();
    }

    private static Onnx.TensorProto tensor(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape))).build();
    }

    private static float[] normal(SplittableRandom random, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = random.nextDouble(1e-12, 1);
            double u2 = random.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    private static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(lo, hi);
        }
        return v;
    }

}
