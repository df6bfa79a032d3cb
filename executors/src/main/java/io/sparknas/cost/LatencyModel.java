package io.sparknas.cost;

/**
 * Estimated single-image latency on a target: per layer, MACs (or elements) times the kernel's cycles per MAC,
 * plus a fixed per-layer overhead, divided by the clock. An analytic first-order model, as used by MCUNet's
 * latency-constrained search; its constants live in the target's configuration with their sources.
 */
public final class LatencyModel {

    private LatencyModel() {
    }

    /** Cycles of one layer. */
    public static double cycles(Layer layer, CycleCosts costs) {
        double work = switch (layer.op()) {
            case CONV -> Macs.of(layer) * (layer.kernel() == 1 ? costs.perMacPointwise() : costs.perMacConv());
            case DEPTHWISE -> Macs.of(layer) * costs.perMacDepthwise();
            case DENSE -> Macs.of(layer) * costs.perMacDense();
            case ADD -> layer.out().elements() * costs.perElementAdd();
            case GLOBAL_POOL -> layer.in().elements() * costs.perElementPool();
        };
        return work + costs.perLayer();
    }

    /** Milliseconds for a whole graph, plus {@code extraConvMacs} (e.g. recomputed patch overlap). */
    public static double milliseconds(LayerGraph graph, Target target, long extraConvMacs) {
        double cycles = extraConvMacs * target.cycles().perMacConv();
        for (Layer layer : graph.layers()) {
            cycles += cycles(layer, target.cycles());
        }
        return cycles / (target.clockMhz() * 1_000.0);
    }
}
