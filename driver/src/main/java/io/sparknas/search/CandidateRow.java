package io.sparknas.search;

import io.sparknas.cost.Costs;
import io.sparknas.cost.Violation;
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
 * @param proposer       {@code seed} (initial population), {@code ga}, {@code random} or {@code llm}
 * @param architecture   the candidate
 * @param costs          its cost-model figures on the target
 * @param map50          inherited-weight val mAP@0.5; null when not evaluated
 * @param mapCoco        inherited-weight val mAP@[.5:.95]; null when not evaluated
 * @param evalSeconds    seconds its evaluation took; null when not evaluated
 * @param seed           seed of its evaluation (BatchNorm recalibration batches)
 * @param provenance     supernet checkpoint and epoch, executor host and task attempt
 */
public record CandidateRow(String runId, int generation, String candidateId, String proposer,
                           Architecture architecture, Costs costs, Double map50, Double mapCoco, Double evalSeconds,
                           long seed, String provenance) {

    /** Whether the candidate fits every budget. */
    public boolean feasible() {
        return costs.feasible();
    }

    /** Every violated budget with its excess; empty when feasible. */
    public String violation() {
        return costs.violations().stream().map(Violation::describe).collect(Collectors.joining("; "));
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
