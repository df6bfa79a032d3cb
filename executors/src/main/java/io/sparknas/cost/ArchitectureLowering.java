package io.sparknas.cost;

import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import java.util.List;

/**
 * Lowers an {@link Architecture} of a {@link SearchSpace} to its {@link LayerGraph}: the one place that says what
 * each block kind computes, shared by the cost model and the network builder.
 *
 * <ul>
 *   <li>stem: 3×3 convolution, stride 2, ReLU6;</li>
 *   <li>standard block: k×k convolution, ReLU6;</li>
 *   <li>depthwise-separable block: k×k depthwise, ReLU6, then a linear 1×1 projection;</li>
 *   <li>MBConv block: 1×1 expansion, ReLU6, k×k depthwise, ReLU6, linear 1×1 projection;</li>
 *   <li>a skip adds the block input to its output;</li>
 *   <li>head: 1×1 convolution to {@code head.channels × width}, ReLU6, then a 1×1 prediction convolution.</li>
 * </ul>
 */
public final class ArchitectureLowering implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final SearchSpace space;
    private final String[][][] names;

    public ArchitectureLowering(SearchSpace space) {
        this.space = space;
        String[] roles = {"conv", "expand", "dw", "project", "add"};
        names = new String[space.stages().size()][][];
        for (int s = 0; s < names.length; s++) {
            int depth = space.stages().get(s).maxDepth();
            names[s] = new String[depth][roles.length];
            for (int b = 0; b < depth; b++) {
                for (int r = 0; r < roles.length; r++) {
                    names[s][b][r] = "s" + s + ".b" + b + "." + roles[r];
                }
            }
        }
    }

    /** The search space this lowering belongs to. */
    public SearchSpace space() {
        return space;
    }

    /** The layer graph of {@code architecture}, which must have the space's stage count. */
    public LayerGraph lower(Architecture architecture) {
        double width = architecture.width();
        int side = architecture.resolution();
        LayerGraph.Builder graph = LayerGraph.builder(new TensorShape(side, side, 3));
        int x = graph.conv("stem", graph.input(), space.channels(space.stemChannels(), width), 3, 2,
                Activation.RELU6);
        List<List<Block>> stages = architecture.stages();
        for (int s = 0; s < stages.size(); s++) {
            int outChannels = space.stageChannels(s, width);
            List<Block> blocks = stages.get(s);
            for (int b = 0; b < blocks.size(); b++) {
                x = block(graph, x, blocks.get(b), names[s][b], outChannels, space.blockStride(s, b));
            }
        }
        HeadSpec head = space.head();
        x = graph.conv("head.conv", x, space.channels(head.channels(), width), 1, 1, Activation.RELU6);
        graph.conv("head.pred", x, head.predictionChannels(), 1, 1, Activation.NONE);
        return graph.build();
    }

    private static int block(LayerGraph.Builder graph, int input, Block block, String[] names, int outChannels,
                             int stride) {
        int x = input;
        switch (block.type()) {
            case STANDARD -> x = graph.conv(names[0], x, outChannels, block.kernel(), stride, Activation.RELU6);
            case DEPTHWISE_SEPARABLE -> {
                x = graph.depthwise(names[2], x, block.kernel(), stride, Activation.RELU6);
                x = graph.conv(names[3], x, outChannels, 1, 1, Activation.NONE);
            }
            case MBCONV -> {
                int expanded = graph.shape(x).channels() * block.expand();
                x = graph.conv(names[1], x, expanded, 1, 1, Activation.RELU6);
                x = graph.depthwise(names[2], x, block.kernel(), stride, Activation.RELU6);
                x = graph.conv(names[3], x, outChannels, 1, 1, Activation.NONE);
            }
        }
        if (block.skip()) {
            x = graph.add(names[4], input, x);
        }
        return x;
    }
}
