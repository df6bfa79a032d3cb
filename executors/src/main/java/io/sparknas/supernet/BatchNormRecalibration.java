package io.sparknas.supernet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.sparknas.cost.LayerGraph;
import io.sparknas.export.BatchStatisticsModel;
import io.sparknas.export.OnnxExport;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
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
            assign(network, name, mean, squares.get(name).div(count).sub(mean.mul(mean)));
        }
        return inputOf.size();
    }

    /**
     * As {@link #recalibrate(ComputationGraph, List)}, with the forward passes run by ONNX Runtime on the network's
     * {@link BatchStatisticsModel} (the same batch-statistics normalization, the same pooling), so that scoring with
     * {@code eval.engine = onnxruntime} runs no DL4J forward pass at all. {@code network} must be a detector built
     * for {@code graph}; returns how many layers were recalibrated.
     */
    public static int recalibrateInOnnxRuntime(ComputationGraph network, LayerGraph graph, List<DataSet> batches,
                                               int threads) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("recalibration needs at least one batch");
        }
        BatchStatisticsModel statistics = BatchStatisticsModel.of(network, graph);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, double[]> squares = new LinkedHashMap<>();
        long count = 0;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = environment.createSession(statistics.model().toByteArray(), options)) {
                for (DataSet batch : batches) {
                    INDArray images = batch.getFeatures();
                    long n = images.size(0);
                    try (OnnxTensor input = OnnxTensor.createTensor(environment,
                            FloatBuffer.wrap(images.castTo(DataType.FLOAT).dup('c').data().asFloat()), images.shape());
                         OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                        for (BatchStatisticsModel.Statistic statistic : statistics.statistics()) {
                            float[] mean = floats(result, statistic.mean());
                            float[] variance = floats(result, statistic.variance());
                            double[] sum = sums.computeIfAbsent(statistic.layer(), key -> new double[mean.length]);
                            double[] square = squares.computeIfAbsent(statistic.layer(),
                                    key -> new double[mean.length]);
                            for (int c = 0; c < mean.length; c++) {
                                sum[c] += (double) mean[c] * n;
                                square[c] += ((double) variance[c] + (double) mean[c] * mean[c]) * n;
                            }
                        }
                    }
                    count += n;
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot recalibrate BatchNorm: " + e.getMessage(), e);
        }
        for (BatchStatisticsModel.Statistic statistic : statistics.statistics()) {
            double[] sum = sums.get(statistic.layer());
            double[] square = squares.get(statistic.layer());
            double[] mean = new double[sum.length];
            double[] variance = new double[sum.length];
            for (int c = 0; c < sum.length; c++) {
                mean[c] = sum[c] / count;
                variance[c] = square[c] / count - mean[c] * mean[c];
            }
            assign(network, statistic.layer(), Nd4j.createFromArray(mean), Nd4j.createFromArray(variance));
        }
        return statistics.statistics().size();
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        FloatBuffer buffer = ((OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException(
                "the batch-statistics model has no output " + name))).getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** Writes {@code mean} and {@code variance} (negative values from rounding clamped to 0) as running statistics. */
    private static void assign(ComputationGraph network, String name, INDArray mean, INDArray variance) {
        variance = Transforms.relu(variance, true);
        Layer layer = network.getLayer(name);
        BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
        INDArray running = layer.getParam("mean");
        running.assign(mean.castTo(running.dataType()).reshape(running.shape()));
        if (conf.isUseLogStd()) {
            INDArray std = Transforms.sqrt(variance.add(conf.getEps()), false);
            INDArray logStd = layer.getParam("log10stdev");
            logStd.assign(Transforms.log(std, 10, false).castTo(logStd.dataType()).reshape(logStd.shape()));
        } else {
            INDArray var = layer.getParam("var");
            var.assign(variance.castTo(var.dataType()).reshape(var.shape()));
        }
    }
}
