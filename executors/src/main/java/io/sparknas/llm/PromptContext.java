package io.sparknas.llm;

import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import java.util.List;

/**
 * Everything one proposal prompt is built from, gathered on the driver from the search's history and sent to the
 * executor task that asks the LLM. Only our own structured data goes in: numbers, architectures and violations
 * computed by the cost model, never text an LLM wrote, so a reply cannot smuggle instructions into the next prompt.
 *
 * @param cell        the search space at the run's (resolution, width) cell
 * @param budgets     the target's hard budgets
 * @param objective   what the search optimizes, in words
 * @param best        the best evaluated candidates, best first
 * @param front       the Pareto front of mAP against latency
 * @param infeasible  recent candidates that broke a budget
 * @param evaluated   candidates already seen, not to be proposed again
 * @param requested   how many candidates to return
 * @param generation  the generation the proposals are for
 */
public record PromptContext(SearchSpace cell, Budgets budgets, String objective, List<PromptCandidate> best,
                            List<PromptCandidate> front, List<PromptCandidate> infeasible,
                            List<Architecture> evaluated, int requested, int generation)
        implements java.io.Serializable {

    public PromptContext {
        best = List.copyOf(best);
        front = List.copyOf(front);
        infeasible = List.copyOf(infeasible);
        evaluated = List.copyOf(evaluated);
    }

    /**
     * The hard budgets as numbers.
     *
     * @param target          the microcontroller
     * @param memoryPlan      the memory plan whose peak SRAM decides feasibility
     * @param sramKib         SRAM available, KiB
     * @param runtimeSramKib  SRAM the runtime keeps, KiB (activations get the rest)
     * @param flashKib        Flash available, KiB
     * @param latencyMs       the latency budget, ms; 0 for none
     */
    public record Budgets(String target, String memoryPlan, double sramKib, double runtimeSramKib, double flashKib,
                          double latencyMs) implements java.io.Serializable {
    }
}
