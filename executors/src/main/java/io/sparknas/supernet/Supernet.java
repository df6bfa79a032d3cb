package io.sparknas.supernet;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.StageSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The weight-sharing supernet: the largest weights of every layer slot of the search space, from which any
 * architecture's network is cut (Once-for-All, TinyNAS). A smaller kernel is the centre of the largest one, a
 * narrower layer takes the first channels, a shallower stage its first blocks; convolutions do not depend on the
 * input size, so every resolution is accepted. Each block slot keeps one set of weights per conv type.
 *
 * <p>The supernet holds no "current subnet": {@link #extract} returns a new stand-alone network with copied
 * weights, and {@link #writeBack} copies a trained subnet's weights into the slices it used. Both are
 * synchronized, so tasks sharing one JVM can use one supernet.
 */
public final class Supernet {

    private static final String TYPE_SEPARATOR = "|";
    /** Layer names of blocks, as {@link ArchitectureLowering} gives them: {@code s<stage>.b<block>.<role>}. */
    private static final java.util.regex.Pattern BLOCK_LAYER = java.util.regex.Pattern.compile("^s(\\d+)\\.b(\\d+)\\.");

    private final SearchSpace space;
    private final ArchitectureLowering lowering;
    private final Map<String, INDArray> weights;

    private Supernet(SearchSpace space, Map<String, INDArray> weights) {
        this.space = space;
        this.lowering = new ArchitectureLowering(space);
        this.weights = weights;
    }

    /**
     * A freshly initialised supernet: the largest network of each conv type is built and initialised with
     * {@code seed}; its weights become the shared slots (stem and head from the first type).
     */
    public static Supernet initialize(SearchSpace space, long seed, IUpdater updater) {
        Map<String, INDArray> weights = new TreeMap<>();
        for (ConvType type : space.orderedConvTypes()) {
            Architecture largest = uniform(space, type);
            ComputationGraph network = DetectorNetworkBuilder.build(new ArchitectureLowering(space).lower(largest),
                    space.head(), seed, updater, 0);
            for (Layer layer : network.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                    weights.putIfAbsent(key(largest, name, param.getKey()), param.getValue().dup());
                }
            }
        }
        return new Supernet(space, weights);
    }

    /** The largest architecture of the space with every block of {@code type}. */
    static Architecture uniform(SearchSpace space, ConvType type) {
        int kernel = space.kernels().get(space.kernels().size() - 1);
        int expand = space.expandRatios().get(space.expandRatios().size() - 1);
        double width = space.widths().get(space.widths().size() - 1);
        List<List<Block>> stages = new ArrayList<>();
        for (StageSpec stage : space.stages()) {
            stages.add(Collections.nCopies(stage.maxDepth(), new Block(type, kernel, expand, false)));
        }
        return new Architecture(space.resolutions().get(space.resolutions().size() - 1), width, stages);
    }

    /** The search space. */
    public SearchSpace space() {
        return space;
    }

    /** The names of the shared weight arrays, sorted. */
    public List<String> keys() {
        return List.copyOf(weights.keySet());
    }

    /** A copy of one shared weight array. */
    public synchronized INDArray weight(String key) {
        return weights.get(key).dup();
    }

    /** A new network for {@code architecture} whose weights are copied slices of the supernet's. */
    public synchronized ComputationGraph extract(Architecture architecture, long seed, IUpdater updater) {
        ComputationGraph network = DetectorNetworkBuilder.build(lowering.lower(architecture), space.head(), seed,
                updater, 0);
        for (Layer layer : network.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            boolean depthwise = layer.conf().getLayer() instanceof DepthwiseConvolution2D;
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                INDArray full = weights.get(key(architecture, name, param.getKey()));
                param.getValue().assign(full.get(slice(full.shape(), param.getValue().shape(), depthwise)));
            }
        }
        return network;
    }

    /** Copies the weights of a network extracted for {@code architecture} back into the slices it came from. */
    public synchronized void writeBack(Architecture architecture, ComputationGraph network) {
        for (Layer layer : network.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            boolean depthwise = layer.conf().getLayer() instanceof DepthwiseConvolution2D;
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                INDArray full = weights.get(key(architecture, name, param.getKey()));
                full.put(slice(full.shape(), param.getValue().shape(), depthwise), param.getValue());
            }
        }
    }

    /**
     * The index of a smaller array inside a larger one: kernel dimensions take the centre, channel dimensions the
     * first entries. Convolution weights are {@code [out, in, kH, kW]}; depthwise weights {@code [kH, kW, in, 1]}.
     */
    static INDArrayIndex[] slice(long[] full, long[] part, boolean depthwise) {
        INDArrayIndex[] index = new INDArrayIndex[full.length];
        for (int d = 0; d < full.length; d++) {
            boolean spatial = full.length == 4 && (depthwise ? d < 2 : d >= 2);
            long start = spatial ? (full[d] - part[d]) / 2 : 0;
            index[d] = NDArrayIndex.interval(start, start + part[d]);
        }
        return index;
    }

    /** The shared-weight key of a layer's parameter: layer name, the block's conv type, the parameter name. */
    static String key(Architecture architecture, String layerName, String param) {
        java.util.regex.Matcher block = BLOCK_LAYER.matcher(layerName);
        String type = "";
        if (block.find()) {
            int stage = Integer.parseInt(block.group(1));
            int index = Integer.parseInt(block.group(2));
            type = TYPE_SEPARATOR + architecture.stages().get(stage).get(index).type().jsonName();
        }
        return layerName + type + ":" + param;
    }

    /** The whole supernet as bytes (to broadcast once per version, or to save). */
    public synchronized byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(weights.size());
            for (Map.Entry<String, INDArray> entry : weights.entrySet()) {
                out.writeUTF(entry.getKey());
                Nd4j.write(entry.getValue(), out);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the supernet", e);
        }
    }

    /** A supernet for {@code space} from {@link #toBytes()}. */
    public static Supernet fromBytes(SearchSpace space, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            Map<String, INDArray> weights = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                weights.put(in.readUTF(), Nd4j.read(in));
            }
            return new Supernet(space, weights);
        } catch (IOException e) {
            throw new UncheckedIOException("not a supernet checkpoint", e);
        }
    }
}
