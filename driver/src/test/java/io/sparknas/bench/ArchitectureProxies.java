package io.sparknas.bench;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

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
        Map<String, ToDoubleFunction<Architecture>> proxies = new LinkedHashMap<>();
        proxies.put("macs", a -> costs(costModel, a).macs());
        proxies.put("latency_ms", a -> costs(costModel, a).latencyMs());
        proxies.put("fewer_separable_blocks", a -> -count(a, ConvType.DEPTHWISE_SEPARABLE));
        proxies.put("fewer_blocks", a -> -a.blockCount());
        Map<String, double[]> scores = new LinkedHashMap<>();
        proxies.forEach((name, proxy) -> scores.put(name,
                architectures.stream().mapToDouble(proxy).toArray()));
        return scores;
    }

    private static Costs costs(CostModel costModel, Architecture architecture) {
        return costModel.evaluate(architecture);
    }

    private static long count(Architecture architecture, ConvType type) {
        return architecture.stages().stream().flatMap(List::stream).map(Block::type).filter(type::equals).count();
    }
}
