package io.sparknas.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Costs;
import io.sparknas.cost.LayerGraph;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class DetectorNetworkBuilderTest {

    private final SearchSpace space = TestSpaces.standard();
    private final CostModel model = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT);

    @Test
    void builtNetworksHaveTheCostModelsParametersAndMacs() {
        SplittableRandom random = new SplittableRandom(77);
        for (int i = 0; i < 24; i++) {
            Architecture architecture = space.sample(random);
            architecture = architecture.withInput(Math.min(architecture.resolution(), 96), architecture.width());
            LayerGraph graph = model.lower(architecture);
            Costs costs = model.evaluate(graph);
            ComputationGraph network = DetectorNetworkBuilder.build(graph, space.head(), 1, new Adam(1e-3), 0);
            assertEquals(costs.params(), DeployedCosts.parameters(network), architecture.shortName());
            assertEquals(costs.macs(), DeployedCosts.macs(network, architecture.resolution(), architecture.resolution()),
                    architecture.shortName());
        }
    }

    @Test
    void outputIsTheYoloGridOfTheHead() {
        Architecture architecture = space.smallest().withInput(128, 0.5);
        ComputationGraph network = DetectorNetworkBuilder.build(model.lower(architecture), space.head(), 1,
                new Adam(1e-3), 0);
        INDArray out = network.outputSingle(Nd4j.rand(2, 3, 128, 128));
        int grid = 128 / space.head().outputStride();
        assertArrayEquals(new long[] {2, space.head().predictionChannels(), grid, grid}, out.shape());
    }

    @Test
    void aNewDetectorStartsAtTheObjectnessAndClassPriors() {
        Architecture architecture = space.smallest().withInput(96, 0.5);
        ComputationGraph network = DetectorNetworkBuilder.build(model.lower(architecture), space.head(), 1,
                new Adam(1e-3), 0);
        float[] out = network.outputSingle(false, Nd4j.rand(4, 3, 96, 96)).dup('c').data().asFloat();
        int classes = space.head().classes();
        int stride = 5 + classes;
        int plane = (96 / space.head().outputStride()) * (96 / space.head().outputStride());
        int perImage = space.head().anchors().size() * stride * plane;
        double objectness = 0;
        double klass = 0;
        int anchorsSeen = 0;
        for (int image = 0; image < 4; image++) {
            for (int a = 0; a < space.head().anchors().size(); a++) {
                for (int at = 0; at < plane; at++) {
                    int base = image * perImage + a * stride * plane + at;
                    objectness += sigmoid(out[base + 4 * plane]);
                    klass += sigmoid(out[base + 5 * plane]);
                    anchorsSeen++;
                }
            }
        }
        assertEquals(DetectorNetworkBuilder.OBJECT_PRIOR, objectness / anchorsSeen, 0.01,
                "mean objectness of a new network: the background term starts near its floor");
        assertEquals(1.0 / classes, klass / anchorsSeen, 0.05, "mean class probability");
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
