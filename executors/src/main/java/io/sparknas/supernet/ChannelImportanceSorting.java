package io.sparknas.supernet;

import io.sparknas.space.ConvType;
import io.sparknas.space.StageSpec;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reorders the expanded (hidden) channels of every MBConv block slot by importance, so that a smaller expansion
 * ratio, which takes the first hidden channels, keeps the most important ones (Once-for-All, Sec. 3.2). A hidden
 * channel's importance is the L1 norm of the projection weights that read it. The same permutation is applied to
 * the expansion convolution's outputs, its BatchNorm, the depthwise convolution and its BatchNorm, the
 * projection's inputs, and the optimizer's moments of each, so the largest subnet computes exactly the same
 * function afterwards.
 *
 * <p>Sorting is only meaningful while the full expansion has been trained and the smaller ones have not: with
 * progressive shrinking, {@link SupernetTrainer} sorts when the expansion ratio becomes elastic.
 */
public final class ChannelImportanceSorting {

    private ChannelImportanceSorting() {
    }

    /** Sorts every MBConv block slot of {@code supernet}; returns how many slots were reordered. */
    public static int sort(Supernet supernet, SharedWeightOptimizer optimizer) {
        if (!supernet.space().convTypes().contains(ConvType.MBCONV)) {
            return 0;
        }
        String type = "|" + ConvType.MBCONV.jsonName() + ":";
        int sorted = 0;
        List<StageSpec> stages = supernet.space().stages();
        for (int s = 0; s < stages.size(); s++) {
            for (int b = 0; b < stages.get(s).maxDepth(); b++) {
                String block = "s" + s + ".b" + b + ".";
                String project = block + "project" + type + "W";
                if (!supernet.keys().contains(project)) {
                    continue;
                }
                long[] order = importanceOrder(supernet.live(project));
                permute(supernet, optimizer, block + "expand" + type + "W", 0, order);
                permute(supernet, optimizer, block + "dw" + type + "W", 2, order);
                permute(supernet, optimizer, project, 1, order);
                for (String bn : List.of(block + "expand.bn" + type, block + "dw.bn" + type)) {
                    for (String key : supernet.keys()) {
                        if (key.startsWith(bn)) {
                            INDArray live = supernet.live(key);
                            permute(supernet, optimizer, key, live.rank() - 1, order);
                        }
                    }
                }
                sorted++;
            }
        }
        return sorted;
    }

    /** Hidden channels by decreasing L1 norm of the projection weights {@code [out, hidden, 1, 1]} that read them. */
    static long[] importanceOrder(INDArray projection) {
        double[] norms = projection.norm1(0, 2, 3).toDoubleVector();
        return IntStream.range(0, norms.length).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -norms[c]).thenComparingInt(c -> c))
                .mapToLong(Integer::longValue).toArray();
    }

    private static void permute(Supernet supernet, SharedWeightOptimizer optimizer, String key, int axis, long[] order) {
        INDArray live = supernet.live(key);
        live.assign(reorder(live, axis, order));
        INDArray state = optimizer.state(key);
        if (state != null) {
            long slots = state.length() / live.length();
            long[] shape = new long[live.rank() + 1];
            shape[0] = slots;
            System.arraycopy(live.shape(), 0, shape, 1, live.rank());
            INDArray view = state.reshape(shape);
            state.assign(reorder(view, axis + 1, order).reshape(state.shape()));
        }
    }

    private static INDArray reorder(INDArray array, int axis, long[] order) {
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[axis] = NDArrayIndex.indices(order);
        return array.get(index).dup();
    }
}
