package io.sparknas.run;

import io.sparknas.cost.SpaceCell;
import io.sparknas.cost.SpaceCellStats;

/**
 * One row of the {@code space_selection/} table: a ranked (resolution, width) cell of stage 1, with the run,
 * target and memory plan that made it.
 *
 * @param runId      the run
 * @param target     the target's name
 * @param cell       the cell, its rank and what sampling found
 * @param memoryPlan the plan whose peak SRAM decided feasibility
 */
public record SpaceSelectionRow(String runId, String target, RankedCell cell, String memoryPlan) {

    /** The columns. */
    public static final RowCodec<SpaceSelectionRow> CODEC = RowCodec.<SpaceSelectionRow>builder()
            .string("run_id", SpaceSelectionRow::runId)
            .string("target", SpaceSelectionRow::target)
            .integer("rank", r -> r.cell().rank())
            .integer("resolution", r -> r.stats().cell().resolution())
            .decimal("width", r -> r.stats().cell().width())
            .integer("samples", r -> r.stats().samples())
            .integer("feasible", r -> r.stats().feasible())
            .decimal("feasible_fraction", r -> r.stats().feasibleFraction())
            .integer("sram_violations", r -> r.stats().sramViolations())
            .integer("flash_violations", r -> r.stats().flashViolations())
            .integer("latency_violations", r -> r.stats().latencyViolations())
            .decimal("mean_macs", r -> r.stats().meanMacs())
            .longInteger("p10_macs", r -> r.stats().p10Macs())
            .longInteger("p50_macs", r -> r.stats().p50Macs())
            .longInteger("p90_macs", r -> r.stats().p90Macs())
            .longInteger("max_macs", r -> r.stats().maxMacs())
            .longInteger("median_peak_sram_bytes", r -> r.stats().medianPeakSram())
            .string("memory_plan", SpaceSelectionRow::memoryPlan)
            .longInteger("seed", r -> r.stats().seed())
            .build(row -> new SpaceSelectionRow(row.string("run_id"), row.string("target"),
                    new RankedCell(row.integer("rank"), new SpaceCellStats(
                            new SpaceCell(row.integer("resolution"), row.decimal("width")), row.integer("samples"),
                            row.integer("feasible"), row.integer("sram_violations"), row.integer("flash_violations"),
                            row.integer("latency_violations"), row.decimal("mean_macs"), row.longInteger("p10_macs"),
                            row.longInteger("p50_macs"), row.longInteger("p90_macs"), row.longInteger("max_macs"),
                            row.longInteger("median_peak_sram_bytes"), row.longInteger("seed"))),
                    row.string("memory_plan")));

    private SpaceCellStats stats() {
        return cell.stats();
    }
}
