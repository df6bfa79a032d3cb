package io.sparknas.export;

import io.sparknas.cost.LayerGraph;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.SearchSpace;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/** Untrained detectors whose exports exercise every folded term: BatchNorm statistics far from their initial 0 and 1. */
final class RandomDetectors {

    private RandomDetectors() {
    }

    /** A detector of {@code space} built for {@code graph}, its BatchNorm parameters drawn from {@code random}. */
    static ComputationGraph network(SearchSpace space, LayerGraph graph, SplittableRandom random) {
        ComputationGraph network = DetectorNetworkBuilder.build(graph, space.head(), random.nextLong(), new NoOp(), 0);
        for (org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                    INDArray value = param.getValue();
                    for (long i = 0; i < value.length(); i++) {
                        double u = random.nextDouble();
                        value.putScalar(i, switch (param.getKey()) {
                            case "gamma" -> 0.5 + u;
                            case "beta", "mean" -> u - 0.5;
                            case "var" -> 0.5 + u;
                            case "log10stdev" -> (u - 0.5) * 0.3;
                            default -> value.getDouble(i);
                        });
                    }
                }
            }
        }
        return network;
    }
}
