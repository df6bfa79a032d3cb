package io.sparknas.llm;

import io.sparknas.space.Architecture;

/**
 * A candidate as the prompt shows it: the architecture with the figures the LLM should reason about.
 *
 * @param architecture the candidate
 * @param map50        inherited-weight val mAP@0.5; null when not evaluated (infeasible)
 * @param mmacs        millions of multiply-accumulates
 * @param peakSramKib  peak activation SRAM under the deciding memory plan, KiB
 * @param flashKib     Flash (weights and runtime), KiB
 * @param latencyMs    estimated latency, ms
 * @param violation    the violated budgets with their excess; empty when it fits
 */
public record PromptCandidate(Architecture architecture, Double map50, double mmacs, double peakSramKib,
                              double flashKib, double latencyMs, String violation) implements java.io.Serializable {
}
