package io.sparknas.net;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters and MACs read off a built DL4J network, counted as the deployed model has them: BatchNorm folded into
 * its convolution (one bias per channel; the running statistics are not parameters), and MACs from the real
 * weight arrays and activation shapes. Independent of the cost model, so tests can compare the two.
 */
public final class DeployedCosts {

    private DeployedCosts() {
    }

    /** Weights + biases, each BatchNormalization counting one folded bias per channel. */
    public static long parameters(ComputationGraph network) {
        long total = 0;
        for (Layer layer : network.getLayers()) {
            Object conf = layer.conf().getLayer();
            Map<String, INDArray> params = layer.paramTable();
            if (conf instanceof BatchNormalization) {
                total += params.get("gamma").length();
            } else if (conf instanceof ConvolutionLayer || conf instanceof DenseLayer) {
                for (Map.Entry<String, INDArray> entry : params.entrySet()) {
                    total += entry.getValue().length();
                }
            }
        }
        return total;
    }

    /**
     * MACs of one forward pass of a single {@code height × width} RGB image: for every convolution and dense layer, output pixels × weights
     * (a depthwise weight is used once per output pixel, like a full convolution's).
     */
    public static long macs(ComputationGraph network, int height, int width) {
        INDArray probe = org.nd4j.linalg.factory.Nd4j.zeros(1, 3, height, width);
        Map<String, INDArray> activations = network.feedForward(probe, false);
        long total = 0;
        for (Layer layer : network.getLayers()) {
            Object conf = layer.conf().getLayer();
            String name = layer.conf().getLayer().getLayerName();
            if (conf instanceof ConvolutionLayer || conf instanceof DepthwiseConvolution2D) {
                INDArray out = activations.get(name);
                long pixels = out.size(2) * out.size(3);
                total += pixels * layer.paramTable().get("W").length();
            } else if (conf instanceof DenseLayer) {
                total += layer.paramTable().get("W").length();
            }
        }
        return total;
    }
}
