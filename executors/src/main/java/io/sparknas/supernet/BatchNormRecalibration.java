package io.sparknas.supernet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Resets the BatchNorm statistics of a subnet to what its own activations are. A subnet cut from a supernet
 * inherits running means and variances measured on other subnets, which can be far off (Once-for-All, Sec. 3.3);
 * recalibrating them on a few training batches fixes that without changing a single learned weight.
 *
 * <p>The batches run forward in training mode, so every BatchNorm normalizes with batch statistics, as during
 * training; for each BatchNorm layer the per-channel mean and variance of its input are averaged over the batches
 * (the variance as E[x²] − E[x]², pooled, not a moving average) and written as its running statistics.
 */
public final class BatchNormRecalibration {

    private BatchNormRecalibration() {
    }

    /** Recalibrates every BatchNorm layer of {@code network} on {@code batches}; returns how many layers. */
    public static int recalibrate(ComputationGraph network, List<DataSet> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("recalibration needs at least one batch");
        }
        Map<String, String> inputOf = new LinkedHashMap<>();
        for (Layer layer : network.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                String name = layer.conf().getLayer().getLayerName();
                inputOf.put(name, network.getConfiguration().getVertexInputs().get(name).get(0));
            }
        }
        Map<String, INDArray> sums = new LinkedHashMap<>();
        Map<String, INDArray> squares = new LinkedHashMap<>();
        long count = 0;
        for (DataSet batch : batches) {
            Map<String, INDArray> activations = network.feedForward(batch.getFeatures(), true);
            INDArray first = activations.get(inputOf.values().iterator().next());
            long n = first.size(0);
            for (Map.Entry<String, String> entry : inputOf.entrySet()) {
                INDArray x = activations.get(entry.getValue());
                INDArray mean = x.mean(0, 2, 3);
                INDArray meanSquare = x.mul(x).mean(0, 2, 3);
                sums.merge(entry.getKey(), mean.mul(n), INDArray::addi);
                squares.merge(entry.getKey(), meanSquare.mul(n), INDArray::addi);
            }
            count += n;
        }
        for (String name : inputOf.keySet()) {
            INDArray mean = sums.get(name).div(count);
            INDArray variance = squares.get(name).div(count).sub(mean.mul(mean));
            Transforms.relu(variance, false);
            Layer layer = network.getLayer(name);
            BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
            layer.getParam("mean").assign(mean.reshape(layer.getParam("mean").shape()));
            if (conf.isUseLogStd()) {
                INDArray std = Transforms.sqrt(variance.add(conf.getEps()), false);
                layer.getParam("log10stdev").assign(Transforms.log(std, 10, false).reshape(layer.getParam("log10stdev").shape()));
            } else {
                layer.getParam("var").assign(variance.reshape(layer.getParam("var").shape()));
            }
        }
        return inputOf.size();
    }
}
