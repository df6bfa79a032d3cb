package io.sparknas.bench;

import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Which kind of weight sharing a trained supernet has learnt: every architecture one choice away from the sandwich's
 * largest member (one block's kernel, expansion or conv type changed, or one stage one block shallower), scored with
 * inherited weights and grouped by the kind of change. A supernet whose middle architectures score far below its
 * ends shows here which slices are untrained (a kernel's ring, a conv type's own weights, a stage's last block).
 */
final class SingleChangeDiagnosis {

    /** One kind of change: its scores over every place it applies. */
    record Group(String change, List<Double> scores) {

        double mean() {
            return scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double min() {
            return scores.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return scores.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    private SingleChangeDiagnosis() {
    }

    /** The changes of {@code base} in {@code cell}, each kind's variants scored by {@code score}. */
    static List<Group> of(Architecture base, SearchSpace cell, ToDoubleFunction<Architecture> score) {
        Map<String, List<Double>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, List<Architecture>> kind : variants(base, cell).entrySet()) {
            List<Double> scores = new ArrayList<>();
            for (Architecture variant : kind.getValue()) {
                scores.add(score.applyAsDouble(variant));
            }
            groups.put(kind.getKey(), scores);
        }
        return groups.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue())).toList();
    }

    /** Every single-choice variant of {@code base}, by kind of change (in a fixed order). */
    static Map<String, List<Architecture>> variants(Architecture base, SearchSpace cell) {
        Map<String, List<Architecture>> kinds = new LinkedHashMap<>();
        for (int s = 0; s < base.stages().size(); s++) {
            List<Block> stage = base.stages().get(s);
            for (int b = 0; b < stage.size(); b++) {
                Block block = stage.get(b);
                for (int kernel : cell.kernels()) {
                    if (kernel != block.kernel()) {
                        add(kinds, "kernel " + block.kernel() + " -> " + kernel, replace(base, s, b,
                                new Block(block.type(), kernel, block.expand(), block.skip())));
                    }
                }
                if (block.type().hasExpandRatio()) {
                    for (int expand : cell.expandRatios()) {
                        if (expand != block.expand()) {
                            add(kinds, "expand " + block.expand() + " -> " + expand, replace(base, s, b,
                                    new Block(block.type(), block.kernel(), expand, block.skip())));
                        }
                    }
                }
                for (ConvType type : cell.orderedConvTypes()) {
                    if (type != block.type()) {
                        int expand = cell.expandRatios().get(cell.expandRatios().size() - 1);
                        add(kinds, "type " + block.type().jsonName() + " -> " + type.jsonName(), replace(base, s, b,
                                new Block(type, block.kernel(), expand, block.skip())));
                    }
                }
            }
            if (stage.size() > cell.stages().get(s).minDepth()) {
                List<List<Block>> stages = new ArrayList<>(base.stages());
                stages.set(s, stage.subList(0, stage.size() - 1));
                add(kinds, "one block shallower", new Architecture(base.resolution(), base.width(), stages));
            }
        }
        return kinds;
    }

    private static void add(Map<String, List<Architecture>> kinds, String kind, Architecture variant) {
        kinds.computeIfAbsent(kind, k -> new ArrayList<>()).add(variant);
    }

    private static Architecture replace(Architecture base, int stage, int index, Block block) {
        List<List<Block>> stages = new ArrayList<>(base.stages());
        List<Block> blocks = new ArrayList<>(stages.get(stage));
        blocks.set(index, block);
        stages.set(stage, blocks);
        return new Architecture(base.resolution(), base.width(), stages);
    }
}
