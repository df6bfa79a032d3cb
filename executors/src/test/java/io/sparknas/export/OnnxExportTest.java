package io.sparknas.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.LayerGraph;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ONNX export run by ONNX Runtime against DL4J on random architectures of the space. */
class OnnxExportTest {

    private static final SearchSpace SPACE = TestSpaces.standard();

    private static ComputationGraph network(LayerGraph graph, SplittableRandom random) {
        return RandomDetectors.network(SPACE, graph, random);
    }

    @Test
    void theExportedModelComputesWhatDl4jComputesOnTwentyRandomArchitectures() throws Exception {
        SplittableRandom random = new SplittableRandom(2026);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        double worst = 0;
        for (int n = 0; n < 20; n++) {
            Architecture architecture = SPACE.sample(random);
            LayerGraph graph = new ArchitectureLowering(SPACE).lower(architecture);
            ComputationGraph network = network(graph, random);
            int side = architecture.resolution();
            INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, side, side);
            INDArray expected = network.outputSingle(false, images);

            byte[] model = OnnxExport.export(network, graph, OnnxExport.metadata("{}", List.of("a"), "[]", side));
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(model, options);
                 OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(images.data().asFloat()),
                         new long[] {2, 3, side, side});
                 OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                OnnxTensor output = (OnnxTensor) result.get(OnnxExport.OUTPUT).orElseThrow();
                assertEquals(List.of(expected.shape()[0], expected.shape()[1], expected.shape()[2],
                        expected.shape()[3]), java.util.Arrays.stream(output.getInfo().getShape()).boxed().toList(),
                        architecture.shortName());
                float[] actual = new float[(int) expected.length()];
                output.getFloatBuffer().get(actual);
                INDArray got = Nd4j.create(actual, expected.shape(), 'c');
                double relative = got.sub(expected).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
                worst = Math.max(worst, relative);
                assertTrue(relative < 1e-4, architecture.shortName() + " at " + side + " px: relative difference "
                        + relative);
            }
        }
        System.out.printf("largest relative difference over 20 architectures: %.2e%n", worst);
    }

    @Test
    void batchNormIsFoldedIntoOneConvPerConvolutionAndTheMetadataTravels() {
        SplittableRandom random = new SplittableRandom(7);
        Architecture architecture = SPACE.sample(random);
        LayerGraph graph = new ArchitectureLowering(SPACE).lower(architecture);
        Onnx.ModelProto model = OnnxExport.model(network(graph, random), graph,
                OnnxExport.metadata("{\"resolution\": 1}", List.of("cat", "dog"), "[[0.1, 0.1]]", 64));
        long convolutions = graph.layers().stream().filter(io.sparknas.cost.Layer::isConvolution).count();
        assertEquals(convolutions, model.getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals("Conv")).count());
        assertTrue(model.getGraph().getNodeList().stream().noneMatch(node -> node.getOpType()
                .equals("BatchNormalization")));
        assertEquals(OnnxExport.OPSET, model.getOpsetImport(0).getVersion());
        Map<String, String> metadata = new java.util.HashMap<>();
        model.getMetadataPropsList().forEach(entry -> metadata.put(entry.getKey(), entry.getValue()));
        assertEquals("cat,dog", metadata.get("sparknas.classes"));
        assertEquals("{\"resolution\": 1}", metadata.get("sparknas.architecture"));
        assertTrue(metadata.get("sparknas.input").contains("[N, 3, 64, 64]"));
    }

    @Test
    void samePaddingPutsTheExtraRowAtTheEnd() {
        assertEquals(List.of(1, 1), toList(FoldedDetector.samePadding(16, 16, 3, 1)));
        assertEquals(List.of(0, 1), toList(FoldedDetector.samePadding(16, 8, 3, 2)));
        assertEquals(List.of(1, 2), toList(FoldedDetector.samePadding(16, 8, 5, 2)));
        assertEquals(List.of(0, 0), toList(FoldedDetector.samePadding(16, 16, 1, 1)));
    }

    private static List<Integer> toList(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
