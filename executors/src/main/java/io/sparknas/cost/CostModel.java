package io.sparknas.cost;

import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The hardware cost model: composes the cost terms ({@link Macs}, {@link Parameters}, {@link FlashFootprint},
 * {@link PeakMemoryPlanner}, {@link PatchPlanner}, {@link LatencyModel}) for one target and judges feasibility.
 *
 * <p>Immutable, thread-safe and serializable: built once on the driver, shipped to tasks. Pure: the same network
 * always gets the same figures.
 */
public final class CostModel implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final ArchitectureLowering lowering;
    private final Target target;
    private final CostSettings settings;

    /** A cost model for architectures of {@code space}. */
    public CostModel(SearchSpace space, Target target, CostSettings settings) {
        this.lowering = new ArchitectureLowering(Objects.requireNonNull(space, "space"));
        this.target = Objects.requireNonNull(target, "target");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A cost model for layer graphs only (reference networks). */
    public CostModel(Target target, CostSettings settings) {
        this.lowering = null;
        this.target = Objects.requireNonNull(target, "target");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The target judged against. */
    public Target target() {
        return target;
    }

    /** The memory settings. */
    public CostSettings settings() {
        return settings;
    }

    /** The layer graph of an architecture. */
    public LayerGraph lower(Architecture architecture) {
        if (lowering == null) {
            throw new IllegalStateException("this cost model was built without a search space");
        }
        return lowering.lower(architecture);
    }

    /** The costs of an architecture. */
    public Costs evaluate(Architecture architecture) {
        return evaluate(lower(architecture));
    }

    /** The costs of a layer graph. */
    public Costs evaluate(LayerGraph graph) {
        long macs = Macs.of(graph);
        long params = Parameters.of(graph);
        FlashFootprint flash = FlashFootprint.of(graph, target.runtimeFlashBytes());
        long layerByLayer = PeakMemoryPlanner.peak(graph, false);
        long inPlace = PeakMemoryPlanner.peak(graph, true);
        PatchProfile patch = PatchPlanner.plan(graph, settings.patchGrid(), settings.patchCutStride());
        MemoryPlan plan = settings.plan();
        long extraMacs = plan == MemoryPlan.PATCH ? patch.extraMacs() : 0L;
        double latency = LatencyModel.milliseconds(graph, target, extraMacs);
        long peak = switch (plan) {
            case LAYER_BY_LAYER -> layerByLayer;
            case IN_PLACE -> inPlace;
            case PATCH -> patch.peak();
        };
        List<Violation> violations = new ArrayList<>(3);
        long sramNeeded = peak + target.runtimeSramBytes();
        if (sramNeeded > target.sramBytes()) {
            violations.add(new Violation("sram", sramNeeded, target.sramBytes(), "B"));
        }
        if (flash.total() > target.flashBytes()) {
            violations.add(new Violation("flash", flash.total(), target.flashBytes(), "B"));
        }
        if (target.hasLatencyBudget() && latency > target.latencyBudgetMs()) {
            violations.add(new Violation("latency", latency, target.latencyBudgetMs(), "ms"));
        }
        return new Costs(macs, params, flash, layerByLayer, inPlace, patch, plan, latency, violations);
    }

    /** The per-layer cost table of a graph. */
    public List<LayerCost> layerTable(LayerGraph graph) {
        MemoryProfile layerByLayer = PeakMemoryPlanner.profile(graph, false);
        MemoryProfile inPlace = PeakMemoryPlanner.profile(graph, true);
        List<LayerCost> rows = new ArrayList<>(graph.size());
        for (int i = 0; i < graph.size(); i++) {
            Layer layer = graph.layers().get(i);
            long activations = layer.out().elements();
            for (int t : layer.inputs()) {
                activations += graph.shape(t).elements();
            }
            double ms = LatencyModel.cycles(layer, target.cycles()) / (target.clockMhz() * 1_000.0);
            rows.add(new LayerCost(i, layer, Macs.of(layer), Parameters.of(layer), FlashFootprint.layerBytes(layer),
                    activations, ScratchBuffers.of(layer), layerByLayer.at(i), inPlace.at(i), ms));
        }
        return rows;
    }
}
