package io.sparknas.cli;

import io.sparknas.cost.Costs;
import io.sparknas.cost.FlashFootprint;
import io.sparknas.cost.LayerCost;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.MemoryPlan;
import io.sparknas.cost.PatchProfile;
import io.sparknas.cost.Target;
import io.sparknas.cost.Violation;
import java.util.List;
import java.util.Locale;

/** Plain-text rendering of cost tables for the terminal. */
final class CostReportFormat {

    private CostReportFormat() {
    }

    static String layerTable(List<LayerCost> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%3s %-16s %-9s %2s %2s %-13s %-13s %12s %9s %9s %10s %7s %10s %10s %8s%n",
                "#", "layer", "op", "k", "s", "input", "output", "MACs", "params", "flash B", "act B", "scratch",
                "SRAM lbl", "SRAM inpl", "ms"));
        for (LayerCost row : rows) {
            out.append(String.format(Locale.ROOT,
                    "%3d %-16s %-9s %2d %2d %-13s %-13s %,12d %,9d %,9d %,10d %,7d %,10d %,10d %8.3f%n",
                    row.index(), row.layer().name(), row.layer().op().name().toLowerCase(Locale.ROOT),
                    row.layer().kernel(), row.layer().stride(), row.layer().in(), row.layer().out(), row.macs(),
                    row.params(), row.weightBytes(), row.activationBytes(), row.scratchBytes(),
                    row.sramLayerByLayer(), row.sramInPlace(), row.latencyMs()));
        }
        return out.toString();
    }

    static String totals(Costs costs, Target target, LayerGraph graph) {
        StringBuilder out = new StringBuilder();
        FlashFootprint flash = costs.flash();
        PatchProfile patch = costs.patch();
        out.append(String.format(Locale.ROOT, "MACs            %,15d  (%.2f M)%n", costs.macs(), costs.macs() / 1e6));
        out.append(String.format(Locale.ROOT, "parameters      %,15d  (BatchNorm folded)%n", costs.params()));
        out.append(String.format(Locale.ROOT,
                "Flash           %,15d B  weights %,d + biases %,d + quantization %,d + runtime %,d; limit %,d B%n",
                flash.total(), flash.weightBytes(), flash.biasBytes(), flash.quantBytes(), flash.runtimeBytes(),
                target.flashBytes()));
        out.append(String.format(Locale.ROOT, "peak SRAM (a)   %,15d B  layer by layer%s%n", costs.peakLayerByLayer(),
                marker(costs, MemoryPlan.LAYER_BY_LAYER)));
        out.append(String.format(Locale.ROOT, "peak SRAM (b)   %,15d B  in-place depthwise%s%n", costs.peakInPlace(),
                marker(costs, MemoryPlan.IN_PLACE)));
        String cut = patch.cutLayer() < 0 ? "no legal cut: same as (b)"
                : String.format(Locale.ROOT, "%dx%d patches to %s: patch stage %,d B, rest %,d B, +%,d MACs recomputed",
                        patch.grid(), patch.grid(), graph.layers().get(patch.cutLayer()).name(), patch.patchStagePeak(),
                        patch.restPeak(), patch.extraMacs());
        out.append(String.format(Locale.ROOT, "peak SRAM (c)   %,15d B  patch-based: %s%s%n", patch.peak(), cut,
                marker(costs, MemoryPlan.PATCH)));
        out.append(String.format(Locale.ROOT, "SRAM limit      %,15d B  (%,d B reserved for the runtime)%n",
                target.sramBytes(), target.runtimeSramBytes()));
        out.append(String.format(Locale.ROOT, "latency         %15.2f ms on %s @ %.0f MHz (estimate)%s%n",
                costs.latencyMs(), target.core(), target.clockMhz(),
                target.hasLatencyBudget() ? String.format(Locale.ROOT, "; budget %.2f ms", target.latencyBudgetMs()) : ""));
        if (costs.feasible()) {
            out.append("feasible        yes: fits ").append(target.name()).append(System.lineSeparator());
        } else {
            for (Violation violation : costs.violations()) {
                out.append("feasible        no: ").append(violation.describe()).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    private static String marker(Costs costs, MemoryPlan plan) {
        return costs.plan() == plan ? "   <- decides feasibility (cost.memory-plan)" : "";
    }
}
