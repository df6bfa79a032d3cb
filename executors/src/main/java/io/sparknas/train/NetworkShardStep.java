package io.sparknas.train;

import io.sparknas.data.DetectionBatches;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A data-parallel step of a plain network (e.g. the ViT teacher) in two halves: each shard's gradient
 * ({@link #gradient}, on a task) and the update from their sum ({@link #apply}, on the driver), which together do
 * what DL4J's {@code fit} does on the whole batch. DL4J's gradients are sums over the minibatch that its updater
 * divides by the batch size, so the shards' gradients simply add up; the exception is BatchNorm's moving-average
 * step of its running statistics, which DL4J applies undivided, so each shard's is scaled by its share of the batch
 * and the sum is their weighted mean.
 */
public final class NetworkShardStep {

    /** The name of the flattened gradient in {@link StepGradients}. */
    public static final String FLAT = "flat";

    private NetworkShardStep() {
    }

    /**
     * The gradient of {@code network} (its parameters as they are) on shard {@code shard} of {@code shards} of batch
     * {@code step}; empty when the shard has no images.
     */
    public static StepGradients gradient(ComputationGraph network, DetectionBatches batches, int step, int shard,
                                         int shards) {
        long start = System.nanoTime();
        DataSet part = batches.batchPart(step, shard, shards);
        if (part == null) {
            return StepGradients.empty();
        }
        int batchImages = Math.min(batches.batch(), batches.size() - step * batches.batch());
        int images = (int) part.getFeatures().size(0);
        double share = images / (double) batchImages;
        network.setInput(0, part.getFeatures());
        network.setLabel(0, part.getLabels());
        network.computeGradientAndScore();
        Gradient gradient = network.gradient();
        if (share != 1) {
            for (Map.Entry<String, INDArray> variable : gradient.gradientForVariable().entrySet()) {
                if (isRunningStatistic(network, variable.getKey())) {
                    variable.getValue().muli(share);
                }
            }
        }
        INDArray flat = network.getFlattenedGradients().dup();
        return new StepGradients(Map.of(FLAT, flat), Map.of(), network.score() * share, images,
                (System.nanoTime() - start) / 1e9, 0);
    }

    /**
     * Applies the summed gradient of a step over {@code batchImages} images as DL4J's {@code fit} would: the
     * network's updater (learning-rate schedule, Adam, weight decay) at its iteration and epoch, then the step, then
     * the iteration count. {@code probe} gives a batch to initialize the gradient views with, asked for only when
     * the network has not computed a gradient yet (its values are overwritten).
     */
    public static void apply(ComputationGraph network, StepGradients sum, int batchImages,
                             java.util.function.Supplier<DataSet> probe) {
        if (network.gradient() == null) {
            DataSet batch = probe.get();
            network.setInput(0, batch.getFeatures());
            network.setLabel(0, batch.getLabels());
            network.computeGradientAndScore();
        }
        network.getFlattenedGradients().assign(sum.sums().get(FLAT));
        int iteration = network.getIterationCount();
        network.getUpdater().update(network.gradient(), iteration, network.getEpochCount(), batchImages,
                LayerWorkspaceMgr.noWorkspaces());
        network.params().subi(network.getFlattenedGradients().reshape(network.params().shape()));
        network.getConfiguration().setIterationCount(iteration + 1);
    }

    /** The network's parameters as bytes for the tasks of a step ({@link ArrayTransfer}). */
    public static byte[] parameterBytes(ComputationGraph network) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            ArrayTransfer.writeValues(out, Map.of(FLAT, network.params()));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the parameters", e);
        }
    }

    /** Loads parameters written by {@link #parameterBytes} into a network of the same configuration. */
    public static void loadParameters(ComputationGraph network, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            INDArray parameters = ArrayTransfer.readValues(in).get(FLAT);
            if (parameters == null || parameters.length() != network.params().length()) {
                throw new IllegalArgumentException("parameters for another network: "
                        + (parameters == null ? 0 : parameters.length()) + " values, this one has "
                        + network.params().length());
            }
            network.params().assign(parameters.reshape(network.params().shape()));
        } catch (IOException e) {
            throw new UncheckedIOException("not parameter bytes", e);
        }
    }

    private static boolean isRunningStatistic(ComputationGraph network, String variable) {
        int split = variable.lastIndexOf('_');
        if (split < 0) {
            return false;
        }
        Layer layer = network.getLayer(variable.substring(0, split));
        String param = variable.substring(split + 1);
        return layer != null && layer.conf().getLayer() instanceof BatchNormalization
                && List.of(BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_VAR,
                BatchNormalizationParamInitializer.GLOBAL_LOG_STD).contains(param);
    }
}
