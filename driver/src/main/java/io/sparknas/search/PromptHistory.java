package io.sparknas.search;

import io.sparknas.config.Objective;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Target;
import io.sparknas.llm.LlmSettings;
import io.sparknas.llm.PromptCandidate;
import io.sparknas.llm.PromptContext;
import io.sparknas.run.CandidateRow;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import java.util.Comparator;
import java.util.List;

/**
 * Gathers what a proposal prompt shows from the search's committed rows: the best candidates, the Pareto front of
 * mAP against latency, the most recent infeasible ones with their violations, and the candidates to avoid. The
 * search and {@code sparknas llm prompt} both build their prompts here, so the printed prompt is the one sent.
 */
public final class PromptHistory {

    private static final SearchObjective<?> LATENCY_FRONT = SearchObjective.of(Objective.MAP_LATENCY);

    private PromptHistory() {
    }

    /** The context of the prompts for {@code generation}, from every committed row of the run. */
    public static PromptContext context(List<CandidateRow> rows, SearchSpace cell, Target target, CostSettings cost,
                                        SearchObjective<?> objective, LlmSettings settings, int generation) {
        List<CandidateRow> scored = rows.stream().filter(r -> r.feasible() && r.evaluated()).toList();
        List<PromptCandidate> best = scored.stream().sorted(SearchObjective.BY_MAP).limit(settings.historyBest())
                .map(PromptHistory::shown).toList();
        List<PromptCandidate> front = LATENCY_FRONT.best(scored, Integer.MAX_VALUE).stream()
                .limit(settings.historyBest()).map(PromptHistory::shown).toList();
        Comparator<CandidateRow> recentFirst = Comparator.comparingInt(CandidateRow::generation).reversed()
                .thenComparing(CandidateRow::candidateId);
        List<PromptCandidate> infeasible = rows.stream().filter(r -> !r.feasible()).sorted(recentFirst)
                .limit(settings.historyInfeasible()).map(PromptHistory::shown).toList();
        List<Architecture> evaluated = rows.stream().sorted(recentFirst).limit(settings.historyAvoid())
                .map(CandidateRow::architecture).toList();
        PromptContext.Budgets budgets = new PromptContext.Budgets(target.name(), cost.plan().configName(),
                target.sramBytes() / 1024.0, target.runtimeSramBytes() / 1024.0, target.flashBytes() / 1024.0,
                target.latencyBudgetMs());
        return new PromptContext(cell, budgets, describe(objective), best, front, infeasible, evaluated,
                settings.candidatesPerRequest(), generation);
    }

    private static String describe(SearchObjective<?> objective) {
        return objective instanceof SearchObjective.Pareto pareto
                ? "val mAP@0.5 (maximize) against " + pareto.unit() + " (minimize), a Pareto front"
                : "val mAP@0.5 (maximize) under the hard budgets";
    }

    private static PromptCandidate shown(CandidateRow row) {
        return new PromptCandidate(row.architecture(), row.map50(), row.costs().macs() / 1e6,
                row.costs().peakSram() / 1024.0, row.costs().flashBytes() / 1024.0, row.costs().latencyMs(),
                row.violation());
    }
}
