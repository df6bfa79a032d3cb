package io.sparknas.bench;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores an architecture can get without any training, read off its description and its costs: the floor a ranking
 * by inherited weights has to clear before it says anything the architecture's shape does not already say. Higher is
 * meant to be better for each (fewer depthwise-separable blocks, fewer blocks, more MACs, more latency), so a
 * positive τ-b against the stand-alone scores means the proxy ranks the right way round.
 */
final class ArchitectureProxies {

    private ArchitectureProxies() {
    }

    /** Each proxy's scores for the architectures, in their order, by the proxy's name in the record. */
    static Map<String, double[]> scores(List<Architecture> architectures, CostModel costModel) {
        List<Costs> costs = architectures.stream().map(costModel::evaluate).toList();
        Map<String, double[]> scores = new LinkedHashMap<>();
        scores.put("macs", costs.stream().mapToDouble(Costs::macs).toArray());
        scores.put("latency_ms", costs.stream().mapToDouble(Costs::latencyMs).toArray());
        scores.put("fewer_separable_blocks",
                architectures.stream().mapToDouble(a -> -count(a, ConvType.DEPTHWISE_SEPARABLE)).toArray());
        scores.put("fewer_blocks", architectures.stream().mapToDouble(a -> -a.blockCount()).toArray());
        return scores;
    }

    private static long count(Architecture architecture, ConvType type) {
        return architecture.stages().stream().flatMap(List::stream).map(Block::type).filter(type::equals).count();
    }
}
