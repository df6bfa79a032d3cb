package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import io.sparknas.config.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two-objective mode's survivor selection is NSGA-II's: whole first fronts, found here by brute force. */
class SearchObjectiveTest {

    @Test
    void paretoSurvivorsAreTheFirstFrontsOfParentsAndOffspring() {
        SearchObjective.Pareto pareto = (SearchObjective.Pareto) SearchObjective.of(Objective.MAP_MACS);
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            List<Phenotype<IntegerGene, Vec<double[]>>> population = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                // Coarse values, so ties and shared fronts occur.
                Vec<double[]> fitness = Vec.of(random.nextInt(8) / 8.0, -random.nextInt(8));
                population.add(Phenotype.of(Genotype.of(IntegerChromosome.of(0, 100, 1)), 0, fitness));
            }
            int[] rank = bruteForceRanks(population);
            int keep = 12;
            ISeq<Phenotype<IntegerGene, Vec<double[]>>> survivors = pareto.survivors(null)
                    .select(ISeq.of(population), keep, Optimize.MAXIMUM);
            assertEquals(keep, survivors.size());
            int worstKept = survivors.stream().mapToInt(p -> rank[indexOf(population, p)]).max().orElseThrow();
            for (int i = 0; i < population.size(); i++) {
                Phenotype<IntegerGene, Vec<double[]>> p = population.get(i);
                boolean kept = survivors.stream().anyMatch(s -> s == p);
                if (!kept) {
                    assertTrue(rank[i] >= worstKept, "trial " + trial + ": a front-" + rank[i]
                            + " member dropped while a front-" + worstKept + " member was kept");
                }
                if (rank[i] < worstKept) {
                    assertTrue(kept, "trial " + trial + ": every member of the fronts before the last is kept");
                }
            }
        }
    }

    @Test
    void theHypervolumeIsTheAreaThePointsDominateUpToTheReference() {
        SplittableRandom random = new SplittableRandom(10);
        for (int trial = 0; trial < 20; trial++) {
            List<io.sparknas.run.CandidateRow> rows = new ArrayList<>();
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                double map = random.nextInt(20) / 20.0;
                double macs = 1 + random.nextInt(30);
                points.add(new double[] {macs, map});
                rows.add(row(map, (long) (macs * 1e6)));
            }
            double reference = 25;
            SearchObjective.Pareto pareto = (SearchObjective.Pareto) SearchObjective.of(Objective.MAP_MACS, reference);
            // Brute force: the dominated share of a fine grid over [0, reference] x [0, 1].
            int n = 1000;
            int covered = 0;
            for (int x = 0; x < n; x++) {
                for (int y = 0; y < n; y++) {
                    double cost = (x + 0.5) * reference / n;
                    double map = (y + 0.5) / n;
                    boolean dominated = points.stream().anyMatch(p -> p[0] <= cost && p[1] >= map);
                    covered += dominated ? 1 : 0;
                }
            }
            double expected = covered * (reference / n) * (1.0 / n);
            assertEquals(expected, pareto.hypervolume(rows), 0.01 * reference, "trial " + trial);
        }
        assertEquals(null, SearchObjective.of(Objective.MAP).hypervolume(List.of()));
    }

    private static io.sparknas.run.CandidateRow row(double map, long macs) {
        io.sparknas.space.SearchSpace cell = io.sparknas.config.ConfigLoader.load(null, List.of()).space()
                .narrow(80, 0.9);
        return new io.sparknas.run.CandidateRow("r", 1, Long.toHexString(macs) + map, io.sparknas.run.Proposer.GA,
                cell.smallest(), new io.sparknas.run.CandidateCosts(macs, 1, 1, 1, 1, 1,
                io.sparknas.cost.MemoryPlan.IN_PLACE, 1.0, true, ""), map, map, 1.0, 0, "test");
    }

    /** Front index of each member: 0 for the non-dominated, 1 for those dominated only by front 0, and so on. */
    private static int[] bruteForceRanks(List<Phenotype<IntegerGene, Vec<double[]>>> population) {
        int n = population.size();
        int[] rank = new int[n];
        java.util.Arrays.fill(rank, -1);
        int assigned = 0;
        for (int front = 0; assigned < n; front++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rank[i] >= 0) {
                    continue;
                }
                boolean dominated = false;
                for (int j = 0; j < n && !dominated; j++) {
                    dominated = j != i && (rank[j] < 0 || rank[j] == front) && dominates(population.get(j), population.get(i));
                }
                if (!dominated) {
                    members.add(i);
                }
            }
            for (int i : members) {
                rank[i] = front;
            }
            assigned += members.size();
        }
        return rank;
    }

    private static boolean dominates(Phenotype<IntegerGene, Vec<double[]>> a, Phenotype<IntegerGene, Vec<double[]>> b) {
        double[] x = a.fitness().data();
        double[] y = b.fitness().data();
        return x[0] >= y[0] && x[1] >= y[1] && (x[0] > y[0] || x[1] > y[1]);
    }

    private static int indexOf(List<Phenotype<IntegerGene, Vec<double[]>>> population,
                               Phenotype<IntegerGene, Vec<double[]>> p) {
        for (int i = 0; i < population.size(); i++) {
            if (population.get(i) == p) {
                return i;
            }
        }
        throw new AssertionError("not in the population");
    }
}
