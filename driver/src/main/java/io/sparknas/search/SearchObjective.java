package io.sparknas.search;

import io.jenetics.EliteSelector;
import io.jenetics.IntegerGene;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.ext.moea.ParetoFront;
import io.jenetics.ext.moea.UFTournamentSelector;
import io.jenetics.ext.moea.Vec;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the evolution optimizes, and how it selects. {@code map}: the val mAP alone, with tournament selection and
 * elitism. {@code map-latency} and {@code map-macs}: mAP against estimated latency or MACs as two objectives, with
 * Jenetics' NSGA-II-style {@link UFTournamentSelector} (non-dominated rank, then crowding distance), keeping the
 * Pareto front.
 *
 * @param <C> the fitness type
 */
public sealed interface SearchObjective<C extends Comparable<? super C>>
        permits SearchObjective.MapOnly, SearchObjective.Pareto {

    /** The objective named in the configuration ({@code search.objective}). */
    static SearchObjective<?> named(String name) {
        return switch (name) {
            case "map" -> new MapOnly();
            case "map-latency" -> new Pareto(name, "latency ms", row -> row.costs().latencyMs());
            case "map-macs" -> new Pareto(name, "MMACs", row -> row.costs().macs() / 1e6);
            default -> throw new IllegalArgumentException("'" + name + "' is not a search objective; allowed: map, "
                    + "map-latency, map-macs");
        };
    }

    /** The configuration name. */
    String name();

    /** The fitness of an evaluated feasible candidate. */
    C fitness(CandidateRow row);

    /** The fitness of a candidate that could not be scored: worse than any scored one. */
    C worst();

    /** Adds this objective's selectors to an engine builder. */
    Engine.Builder<IntegerGene, C> select(Engine.Builder<IntegerGene, C> builder, SearchSettings settings);

    /** The best candidates to report: the top by mAP, or the Pareto front sorted by mAP. */
    List<CandidateRow> best(List<CandidateRow> feasibleScored, int top);

    /** The single objective: val mAP@0.5. */
    record MapOnly() implements SearchObjective<Double> {
        @Override
        public String name() {
            return "map";
        }

        @Override
        public Double fitness(CandidateRow row) {
            return row.map50();
        }

        @Override
        public Double worst() {
            return -1.0;
        }

        @Override
        public Engine.Builder<IntegerGene, Double> select(Engine.Builder<IntegerGene, Double> builder,
                                                        SearchSettings settings) {
            return builder.survivorsSelector(new EliteSelector<IntegerGene, Double>(settings.elitism(),
                            new TournamentSelector<IntegerGene, Double>(settings.tournamentSize())))
                    .offspringSelector(new TournamentSelector<>(settings.tournamentSize()));
        }

        @Override
        public List<CandidateRow> best(List<CandidateRow> feasibleScored, int top) {
            return feasibleScored.stream().sorted(BY_MAP).limit(top).toList();
        }
    }

    /**
     * Two objectives: maximize mAP, minimize a cost.
     *
     * @param name  the configuration name
     * @param unit  the cost's unit, for reports
     * @param cost  the cost of a candidate
     */
    record Pareto(String name, String unit, java.util.function.ToDoubleFunction<CandidateRow> cost)
            implements SearchObjective<Vec<double[]>> {
        @Override
        public Vec<double[]> fitness(CandidateRow row) {
            return Vec.of(row.map50(), -cost.applyAsDouble(row));
        }

        @Override
        public Vec<double[]> worst() {
            return Vec.of(-1.0, -Double.MAX_VALUE);
        }

        @Override
        public Engine.Builder<IntegerGene, Vec<double[]>> select(Engine.Builder<IntegerGene, Vec<double[]>> builder,
                                                               SearchSettings settings) {
            return builder.survivorsSelector(UFTournamentSelector.ofVec())
                    .offspringSelector(UFTournamentSelector.ofVec());
        }

        @Override
        public List<CandidateRow> best(List<CandidateRow> feasibleScored, int top) {
            ParetoFront<CandidateRow> front = new ParetoFront<>((a, b) -> fitness(a).dominance(fitness(b)));
            front.addAll(feasibleScored);
            return front.stream().sorted(BY_MAP).toList();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "mAP against %s", unit);
        }
    }

    /** Best mAP first, ties by id (a stable order). */
    Comparator<CandidateRow> BY_MAP = Comparator.comparingDouble(CandidateRow::map50).reversed()
            .thenComparing(CandidateRow::candidateId);
}
