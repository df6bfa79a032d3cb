package io.sparknas.search;

import io.jenetics.IntegerGene;
import io.jenetics.Selector;
import io.jenetics.TournamentSelector;
import io.jenetics.TruncationSelector;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.ParetoFront;
import io.jenetics.ext.moea.UFTournamentSelector;
import io.jenetics.ext.moea.Vec;
import io.sparknas.config.Objective;
import io.sparknas.config.SearchSettings;
import io.sparknas.run.CandidateRow;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the evolution optimizes, and how it selects. {@code map}: the val mAP alone, parents by tournament, survivors
 * the best by mAP. {@code map-latency} and {@code map-macs}: mAP against estimated latency or MACs as two objectives, with
 * NSGA-II: survivors by non-dominated sorting and crowding-distance truncation (Jenetics' {@link NSGA2Selector}),
 * parents by tournaments on rank and crowding ({@link UFTournamentSelector}); the result is the Pareto front.
 *
 * @param <C> the fitness type
 */
public sealed interface SearchObjective<C extends Comparable<? super C>>
        permits SearchObjective.MapOnly, SearchObjective.Pareto {

    /** The objective the configuration names ({@code search.objective}), without a hypervolume reference. */
    static SearchObjective<?> of(Objective objective) {
        return of(objective, Double.NaN);
    }

    /**
     * The objective the configuration names; {@code referenceCost} is the cost (latency ms or MMACs) of the
     * hypervolume's reference point, which no candidate that fits exceeds (NaN: no hypervolume).
     */
    static SearchObjective<?> of(Objective objective, double referenceCost) {
        return switch (objective) {
            case MAP -> new MapOnly();
            case MAP_LATENCY -> new Pareto(objective, "latency ms", row -> row.costs().latencyMs(), referenceCost);
            case MAP_MACS -> new Pareto(objective, "MMACs", row -> row.costs().macs() / 1e6, referenceCost);
        };
    }

    /** Which objective it is. */
    Objective name();

    /** The fitness of an evaluated feasible candidate. */
    C fitness(CandidateRow row);

    /** The fitness of a candidate that could not be scored: worse than any scored one. */
    C worst();

    /** Who of parents and offspring stays in the population. */
    Selector<IntegerGene, C> survivors(SearchSettings settings);

    /** Who becomes a parent of the next offspring. */
    Selector<IntegerGene, C> parents(SearchSettings settings);

    /** The best candidates to report: the top by mAP, or the Pareto front sorted by mAP. */
    List<CandidateRow> best(List<CandidateRow> feasibleScored, int top);

    /** The hypervolume of the candidates' Pareto front for two objectives; null for the single objective. */
    default Double hypervolume(List<CandidateRow> feasibleScored) {
        return null;
    }

    /** The single objective: val mAP@0.5. */
    record MapOnly() implements SearchObjective<Double> {
        @Override
        public Objective name() {
            return Objective.MAP;
        }

        @Override
        public Double fitness(CandidateRow row) {
            return row.map50();
        }

        @Override
        public Double worst() {
            return -1.0;
        }

        /** The best by mAP: with parents and offspring together, the best found so far is never lost. */
        @Override
        public Selector<IntegerGene, Double> survivors(SearchSettings settings) {
            return new TruncationSelector<>();
        }

        @Override
        public Selector<IntegerGene, Double> parents(SearchSettings settings) {
            return new TournamentSelector<>(settings.tournamentSize());
        }

        @Override
        public List<CandidateRow> best(List<CandidateRow> feasibleScored, int top) {
            return feasibleScored.stream().sorted(BY_MAP).limit(top).toList();
        }
    }

    /**
     * Two objectives: maximize mAP, minimize a cost.
     *
     * @param name  which objective
     * @param unit  the cost's unit, for reports
     * @param cost  the cost of a candidate
     * @param reference the cost of the hypervolume's reference point (mAP 0); NaN for none
     */
    record Pareto(Objective name, String unit, java.util.function.ToDoubleFunction<CandidateRow> cost,
                  double reference) implements SearchObjective<Vec<double[]>> {
        @Override
        public Vec<double[]> fitness(CandidateRow row) {
            return Vec.of(row.map50(), -cost.applyAsDouble(row));
        }

        @Override
        public Vec<double[]> worst() {
            return Vec.of(-1.0, -Double.MAX_VALUE);
        }

        /**
         * NSGA-II's truncation (Deb et al. 2002): parents and offspring sorted by non-dominated rank, then by crowding
         * distance within a rank, and the first population-size kept, so the survivors are whole first fronts.
         */
        @Override
        public Selector<IntegerGene, Vec<double[]>> survivors(SearchSettings settings) {
            return NSGA2Selector.ofVec();
        }

        /** Binary tournaments on (rank, crowding distance), NSGA-II's mating selection. */
        @Override
        public Selector<IntegerGene, Vec<double[]>> parents(SearchSettings settings) {
            return UFTournamentSelector.ofVec();
        }

        @Override
        public List<CandidateRow> best(List<CandidateRow> feasibleScored, int top) {
            return front(feasibleScored, cost);
        }

        /**
         * The area that the candidates dominate in the (cost, mAP) plane, bounded by the reference point (cost
         * {@link #reference}, mAP 0): the union of the rectangles [cost, reference] × [0, mAP]. Exact in two
         * dimensions by one sweep in order of cost, which is why it is computed here rather than by a library.
         * Rises when the front moves up or left; units are mAP × the cost's unit.
         */
        @Override
        public Double hypervolume(List<CandidateRow> feasibleScored) {
            if (Double.isNaN(reference)) {
                return null;
            }
            double[][] points = feasibleScored.stream()
                    .map(r -> new double[] {cost.applyAsDouble(r), r.map50()})
                    .filter(p -> p[0] < reference && p[1] > 0)
                    .sorted(java.util.Comparator.comparingDouble(p -> p[0]))
                    .toArray(double[][]::new);
            double volume = 0;
            double bestMap = 0;
            for (double[] point : points) {
                if (point[1] > bestMap) {
                    volume += (reference - point[0]) * (point[1] - bestMap);
                    bestMap = point[1];
                }
            }
            return volume;
        }

        /** The candidates no other beats on both mAP and {@code cost}, best mAP first. */
        public static List<CandidateRow> front(List<CandidateRow> feasibleScored,
                                               java.util.function.ToDoubleFunction<CandidateRow> cost) {
            ParetoFront<CandidateRow> front = new ParetoFront<>((a, b) -> Vec.of(a.map50(), -cost.applyAsDouble(a))
                    .dominance(Vec.of(b.map50(), -cost.applyAsDouble(b))));
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
