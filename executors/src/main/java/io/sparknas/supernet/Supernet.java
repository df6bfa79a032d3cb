package io.sparknas.supernet;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.StageSpec;
import io.sparknas.train.ArrayTransfer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * input size, so every resolution is accepted. Which conv types of a block slot share weights is the
 * {@link WeightSharing} mode, read back from the keys of a saved supernet.
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
    private final WeightSharing sharing;

    private Supernet(SearchSpace space, Map<String, INDArray> weights, WeightSharing sharing) {
        this.space = space;
        this.lowering = new ArchitectureLowering(space);
        this.weights = weights;
        this.sharing = sharing;
    }

    /** A freshly initialised supernet with one set of weights per conv type. */
    public static Supernet initialize(SearchSpace space, long seed, IUpdater updater) {
        return initialize(space, seed, updater, WeightSharing.PER_TYPE);
    }

    /**
     * A freshly initialised supernet: the largest network of each conv type is built and initialised with
     * {@code seed}; its weights become the shared slots (stem and head from the first type; where types share a
     * slot, the larger array).
     */
    public static Supernet initialize(SearchSpace space, long seed, IUpdater updater, WeightSharing sharing) {
        return new Supernet(space, largestWeights(space, seed, updater, sharing), sharing);
    }

    /**
     * A freshly initialised supernet as {@link #initialize(SearchSpace, long, IUpdater, WeightSharing)}; with
     * {@code zeroKernelRings} every shared kernel larger than the space's smallest starts with zeros outside its
     * centre of the smallest size, so a larger kernel first computes what the smaller one does and its ring is
     * learnt from the subnets that choose it (the diagnosis is in docs/supernet.md).
     */
    public static Supernet initialize(SearchSpace space, long seed, IUpdater updater, WeightSharing sharing,
                                      boolean zeroKernelRings) {
        Supernet supernet = initialize(space, seed, updater, sharing);
        if (zeroKernelRings) {
            supernet.zeroKernelRings();
        }
        return supernet;
    }

    private void zeroKernelRings() {
        int smallest = space.kernels().get(0);
        int largest = space.kernels().get(space.kernels().size() - 1);
        if (largest == smallest) {
            return;
        }
        for (ConvType type : space.orderedConvTypes()) {
            Architecture architecture = uniform(space, type);
            ComputationGraph network = DetectorNetworkBuilder.build(lowering.lower(architecture), space.head(), 0,
                    new org.nd4j.linalg.learning.config.NoOp(), 0);
            for (Layer layer : network.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                if (!BLOCK_LAYER.matcher(name).find()) {
                    continue;
                }
                boolean depthwise = layer.conf().getLayer() instanceof DepthwiseConvolution2D;
                for (String param : layer.paramTable().keySet()) {
                    INDArray shared = weights.get(key(architecture, name, param, sharing));
                    if (shared.rank() == 4 && spatialSize(shared.shape(), depthwise) == largest) {
                        zeroOutsideCentre(shared, smallest, depthwise);
                    }
                }
            }
        }
    }

    private static long spatialSize(long[] shape, boolean depthwise) {
        return depthwise ? shape[0] : shape[3];
    }

    private static void zeroOutsideCentre(INDArray kernel, int keep, boolean depthwise) {
        INDArray centre = kernel.get(slice(kernel.shape(), centreShape(kernel.shape(), keep, depthwise), depthwise))
                .dup();
        kernel.assign(0);
        kernel.get(slice(kernel.shape(), centre.shape(), depthwise)).assign(centre);
    }

    private static long[] centreShape(long[] shape, int keep, boolean depthwise) {
        long[] centre = shape.clone();
        if (depthwise) {
            centre[0] = keep;
            centre[1] = keep;
        } else {
            centre[2] = keep;
            centre[3] = keep;
        }
        return centre;
    }

    private static Map<String, INDArray> largestWeights(SearchSpace space, long seed, IUpdater updater,
                                                        WeightSharing sharing) {
        Map<String, INDArray> weights = new TreeMap<>();
        for (ConvType type : space.orderedConvTypes()) {
            Architecture largest = uniform(space, type);
            ComputationGraph network = DetectorNetworkBuilder.build(new ArchitectureLowering(space).lower(largest),
                    space.head(), seed, updater, 0);
            for (Layer layer : network.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                    String key = key(largest, name, param.getKey(), sharing);
                    INDArray present = weights.get(key);
                    if (present == null || present.length() < param.getValue().length()) {
                        weights.put(key, param.getValue().dup());
                    }
                }
            }
        }
        return weights;
    }

    /** Which conv types share weights in this supernet. */
    public WeightSharing sharing() {
        return sharing;
    }

    /**
     * Checks that the shared arrays (for example read from a checkpoint) are exactly those this supernet's space
     * needs, so a checkpoint trained for another space fails here, naming the first difference.
     */
    public void requireMatchingShapes() {
        Map<String, INDArray> expected = largestWeights(space, 0, new org.nd4j.linalg.learning.config.NoOp(), sharing);
        for (Map.Entry<String, INDArray> entry : expected.entrySet()) {
            INDArray actual = weights.get(entry.getKey());
            if (actual == null) {
                throw new IllegalArgumentException("the supernet has no weights for " + entry.getKey()
                        + ": it was trained for another search space");
            }
            if (!java.util.Arrays.equals(actual.shape(), entry.getValue().shape())) {
                throw new IllegalArgumentException("the supernet's " + entry.getKey() + " has shape "
                        + java.util.Arrays.toString(actual.shape()) + ", the search space needs "
                        + java.util.Arrays.toString(entry.getValue().shape()) + ": it was trained for another space");
            }
        }
        if (!expected.keySet().equals(weights.keySet())) {
            throw new IllegalArgumentException("the supernet has weights the search space does not use: it was "
                    + "trained for another search space");
        }
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

    /** The layer graph of a subnet (what {@link #extract} builds its network from). */
    public io.sparknas.cost.LayerGraph lower(Architecture architecture) {
        return lowering.lower(architecture);
    }

    /** A new network for {@code architecture} whose weights are copied slices of the supernet's. */
    public ComputationGraph extract(Architecture architecture, long seed, IUpdater updater) {
        ComputationGraph network = DetectorNetworkBuilder.build(lowering.lower(architecture), space.head(), seed,
                updater, 0);
        load(architecture, network);
        return network;
    }

    /**
     * As {@link #extract(Architecture, long, IUpdater)}, the network trained through {@code output} (e.g. the
     * distillation loss layer of in-place distillation); its parameters are the same.
     */
    public ComputationGraph extract(Architecture architecture, long seed, IUpdater updater,
                                    org.deeplearning4j.nn.conf.layers.Layer output) {
        ComputationGraph network = DetectorNetworkBuilder.build(lowering.lower(architecture), space.head(), seed,
                updater, 0, output);
        load(architecture, network);
        return network;
    }

    /** One parameter of a subnet and where it sits in the shared arrays. */
    private record SlicedParameter(String layer, String param, INDArray value, String key, INDArrayIndex[] index) {
    }

    /** Every parameter of {@code network} (built for {@code architecture}) with its shared key and slice. */
    private List<SlicedParameter> slices(Architecture architecture, ComputationGraph network) {
        List<SlicedParameter> slices = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            boolean depthwise = layer.conf().getLayer() instanceof DepthwiseConvolution2D;
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                String key = key(architecture, name, param.getKey(), sharing);
                slices.add(new SlicedParameter(name, param.getKey(), param.getValue(), key,
                        slice(weights.get(key).shape(), param.getValue().shape(), depthwise)));
            }
        }
        return slices;
    }

    /**
     * Copies the slices for {@code architecture} into {@code network}, a network built for that architecture
     * (for example one extracted earlier and reused, to save building it again).
     */
    public synchronized void load(Architecture architecture, ComputationGraph network) {
        for (SlicedParameter p : slices(architecture, network)) {
            p.value().assign(weights.get(p.key()).get(p.index()));
        }
    }

    /** Copies the weights of a network extracted for {@code architecture} back into the slices it came from. */
    public synchronized void writeBack(Architecture architecture, ComputationGraph network) {
        for (SlicedParameter p : slices(architecture, network)) {
            weights.get(p.key()).put(p.index(), p.value());
        }
    }

    /**
     * Adds the gradient a subnet just computed ({@code network.gradient()}, after
     * {@code computeGradientAndScore}) into {@code sums}, each parameter's gradient at the slice it was cut from.
     * DL4J reports gradients summed over the minibatch (its own updater divides them), so they are divided by the
     * minibatch size here, except the BatchNorm running statistics' moving-average steps, which DL4J applies as is.
     * {@code sums} holds one full-size array per shared key that was touched; a sandwich step sums the gradients
     * of all its subnets this way before one optimizer step. {@code used} (may be null) gets, per key, a mask with 1
     * where this subnet's slice lies, for the optimizer's weight decay.
     */
    public void accumulateGradient(Architecture architecture, ComputationGraph network, Map<String, INDArray> sums,
                                   Map<String, INDArray> used) {
        org.deeplearning4j.nn.gradient.Gradient gradient = network.gradient();
        long examples = network.getInput(0).size(0);
        for (SlicedParameter p : slices(architecture, network)) {
            INDArray part = gradient.getGradientFor(p.layer() + "_" + p.param());
            if (part == null) {
                continue;
            }
            INDArray full = weights.get(p.key());
            INDArray sum = sums.computeIfAbsent(p.key(), k -> Nd4j.zeros(full.dataType(), full.shape()));
            INDArray scaled = SharedWeightOptimizer.isRunningStatistic(p.key()) ? part : part.div(examples);
            sum.put(p.index(), sum.get(p.index()).add(scaled.reshape(p.value().shape())));
            if (used != null) {
                used.computeIfAbsent(p.key(), k -> Nd4j.zeros(full.dataType(), full.shape())).put(p.index(),
                        Nd4j.ones(full.dataType(), p.value().shape()));
            }
        }
    }

    /** As {@link #accumulateGradient(Architecture, ComputationGraph, Map, Map)} without the masks. */
    public void accumulateGradient(Architecture architecture, ComputationGraph network, Map<String, INDArray> sums) {
        accumulateGradient(architecture, network, sums, null);
    }

    /**
     * Applies {@code update} to every shared array it names: {@code weight -= update}. Called by the optimizer
     * with its already-computed steps.
     */
    synchronized void subtract(Map<String, INDArray> update) {
        for (Map.Entry<String, INDArray> entry : update.entrySet()) {
            weights.get(entry.getKey()).subi(entry.getValue());
        }
    }

    /** The live shared array of {@code key}, for optimizers and channel sorting inside this package. */
    INDArray live(String key) {
        return weights.get(key);
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

    /**
     * The shared-weight key of a layer's parameter: layer name, the conv type whose weights the block uses
     * ({@link WeightSharing#weightsOf}), the parameter name.
     */
    static String key(Architecture architecture, String layerName, String param, WeightSharing sharing) {
        java.util.regex.Matcher block = BLOCK_LAYER.matcher(layerName);
        String type = "";
        if (block.find()) {
            int stage = Integer.parseInt(block.group(1));
            int index = Integer.parseInt(block.group(2));
            type = TYPE_SEPARATOR + sharing.weightsOf(architecture.stages().get(stage).get(index).type()).jsonName();
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

    /**
     * The shared arrays that subnets {@code members} cut their weights from: the stem's and head's, and in every
     * block slot within a member's depth those of the conv type whose weights the member's block uses. What a
     * distributed step sends to its tasks.
     */
    public Set<String> keysFor(Collection<Architecture> members) {
        Set<String> keys = new TreeSet<>();
        for (String key : weights.keySet()) {
            int separator = key.indexOf(TYPE_SEPARATOR);
            if (separator < 0) {
                keys.add(key);
                continue;
            }
            java.util.regex.Matcher block = BLOCK_LAYER.matcher(key);
            if (!block.find()) {
                keys.add(key);
                continue;
            }
            int stage = Integer.parseInt(block.group(1));
            int index = Integer.parseInt(block.group(2));
            String type = key.substring(separator + 1, key.indexOf(':', separator));
            for (Architecture member : members) {
                List<Block> blocks = member.stages().get(stage);
                if (index < blocks.size() && sharing.weightsOf(blocks.get(index).type()).jsonName().equals(type)) {
                    keys.add(key);
                    break;
                }
            }
        }
        return keys;
    }

    /**
     * The shared arrays {@code keys} as bytes for one distributed step's tasks ({@link #keysFor}): the floats
     * copied in bulk ({@link ArrayTransfer}), several times faster to write and read than {@link #toBytes()}.
     */
    public synchronized byte[] toTransferBytes(Set<String> keys) {
        Map<String, INDArray> selected = new TreeMap<>();
        for (String key : keys) {
            INDArray weight = weights.get(key);
            if (weight == null) {
                throw new IllegalArgumentException("no shared array " + key);
            }
            selected.put(key, weight);
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(ArrayTransfer.size(selected));
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(sharing.configName());
            ArrayTransfer.writeValues(out, selected);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the supernet", e);
        }
    }

    /**
     * The part of a supernet for {@code space} that {@link #toTransferBytes} sent: it loads the weights of the
     * subnets the keys were chosen for, and no others.
     */
    public static Supernet fromTransferBytes(SearchSpace space, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            WeightSharing sharing = WeightSharing.fromConfigName(in.readUTF());
            return new Supernet(space, ArrayTransfer.readValues(in), sharing);
        } catch (IOException e) {
            throw new UncheckedIOException("not supernet transfer bytes", e);
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
            return of(space, weights);
        } catch (IOException e) {
            throw new UncheckedIOException("not a supernet checkpoint", e);
        }
    }

    /** A supernet of {@code weights}, its weight sharing read from their keys. */
    private static Supernet of(SearchSpace space, Map<String, INDArray> weights) {
        boolean separate = weights.keySet().stream()
                .anyMatch(k -> k.contains(TYPE_SEPARATOR + ConvType.DEPTHWISE_SEPARABLE.jsonName() + ":"));
        boolean separable = space.convTypes().contains(ConvType.DEPTHWISE_SEPARABLE)
                && space.convTypes().contains(ConvType.MBCONV);
        return new Supernet(space, weights, separable && !separate ? WeightSharing.SEPARABLE_IN_MBCONV
                : WeightSharing.PER_TYPE);
    }
}
