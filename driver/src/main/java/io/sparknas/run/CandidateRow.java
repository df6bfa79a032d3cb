package io.sparknas.run;

import io.sparknas.cost.MemoryPlan;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.Block;
import java.util.stream.Collectors;

/**
 * One row of the {@code candidates/} table: a candidate, its hardware costs, its scores and where it came from.
 * Infeasible candidates are recorded too, with the violated budgets and no scores: they were never evaluated.
 *
 * @param runId          the run
 * @param generation     the generation that first proposed it (0: the initial population)
 * @param candidateId    stable id: a hash of the canonical architecture
 * @param proposer       who proposed it
 * @param architecture   the candidate
 * @param costs          its cost-model figures on the target, as stored
 * @param map50          inherited-weight val mAP@0.5; null when not evaluated
 * @param mapCoco        inherited-weight val mAP@[.5:.95]; null when not evaluated
 * @param evalSeconds    seconds its evaluation took; null when not evaluated
 * @param seed           seed of its evaluation (BatchNorm recalibration batches)
 * @param provenance     supernet checkpoint and epoch, executor host and task attempt
 */
public record CandidateRow(String runId, int generation, String candidateId, Proposer proposer,
                           Architecture architecture, CandidateCosts costs, Double map50, Double mapCoco,
                           Double evalSeconds, long seed, String provenance) {

    /** The columns of a generation's files (the {@code generation} partition column comes from the folder name). */
    public static final RowCodec<CandidateRow> CODEC = RowCodec.<CandidateRow>builder()
            .string("run_id", CandidateRow::runId)
            .string("candidate_id", CandidateRow::candidateId)
            .string("proposer", r -> r.proposer().text())
            .string("architecture", CandidateRow::architectureJson)
            .integer("resolution", r -> r.architecture().resolution())
            .decimal("width", r -> r.architecture().width())
            .string("depths", CandidateRow::depths)
            .string("blocks", CandidateRow::blocks)
            .longInteger("macs", r -> r.costs().macs())
            .longInteger("params", r -> r.costs().params())
            .longInteger("flash_bytes", r -> r.costs().flashBytes())
            .longInteger("peak_sram_layer_by_layer", r -> r.costs().peakSramLayerByLayer())
            .longInteger("peak_sram_in_place", r -> r.costs().peakSramInPlace())
            .longInteger("peak_sram_patch", r -> r.costs().peakSramPatch())
            .string("memory_plan", r -> r.costs().memoryPlan().configName())
            .decimal("latency_ms", r -> r.costs().latencyMs())
            .bool("feasible", CandidateRow::feasible)
            .string("violation", CandidateRow::violation)
            .optionalDecimal("map50", CandidateRow::map50)
            .optionalDecimal("map_coco", CandidateRow::mapCoco)
            .optionalDecimal("eval_seconds", CandidateRow::evalSeconds)
            .longInteger("seed", CandidateRow::seed)
            .string("provenance", CandidateRow::provenance)
            .build(row -> new CandidateRow(row.string("run_id"), row.integer(GenerationTable.GENERATION),
                    row.string("candidate_id"), Proposer.fromText(row.string("proposer")),
                    ArchitectureJson.decode(row.string("architecture")),
                    new CandidateCosts(row.longInteger("macs"), row.longInteger("params"),
                            row.longInteger("flash_bytes"), row.longInteger("peak_sram_layer_by_layer"),
                            row.longInteger("peak_sram_in_place"), row.longInteger("peak_sram_patch"),
                            MemoryPlan.fromConfigName(row.string("memory_plan")), row.decimal("latency_ms"),
                            row.bool("feasible"), row.string("violation")),
                    row.optionalDecimal("map50"), row.optionalDecimal("map_coco"),
                    row.optionalDecimal("eval_seconds"), row.longInteger("seed"), row.string("provenance")));

    /** Whether the candidate fits every budget. */
    public boolean feasible() {
        return costs.feasible();
    }

    /** Every violated budget with its excess; empty when feasible. */
    public String violation() {
        return costs.violation();
    }

    /** The canonical architecture JSON. */
    public String architectureJson() {
        return ArchitectureJson.encode(architecture);
    }

    /** Blocks per stage, comma-separated, e.g. {@code 1,2,3,2,1}. */
    public String depths() {
        return architecture.stages().stream().map(blocks -> Integer.toString(blocks.size()))
                .collect(Collectors.joining(","));
    }

    /** The blocks' conv types, kernels and expansions in short form, stage by stage. */
    public String blocks() {
        return architecture.stages().stream()
                .map(stage -> stage.stream().map(Block::shortName).collect(Collectors.joining(",")))
                .collect(Collectors.joining("|"));
    }

    /** Whether it was evaluated. */
    public boolean evaluated() {
        return map50 != null;
    }
}
