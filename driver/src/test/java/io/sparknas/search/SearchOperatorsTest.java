package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.run.CandidateRow;
import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;
import io.sparknas.space.SearchSpace;
import io.sparknas.task.CandidateScore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search operators on the default space's 80 px x 0.9 cell (where the default run searches): crossover mixes,
 * mutation changes what the architecture uses, depth increases revive or redraw, and every searcher scores the same
 * new candidates per generation from the same initial sample.
 */
class SearchOperatorsTest {

    private static final SparkNasConfig CONFIG = ConfigLoader.load(null, List.of());
    private static final SearchSpace CELL = CONFIG.space().narrow(80, 0.9);
    private final GeneCodec codec = new GeneCodec(CELL);

    @Test
    void atCrossoverRateOneAChildDiffersFromEachOfTwoDifferentParentsInSeveralGenes() {
        BlockCrossover crossover = new BlockCrossover(codec);
        SplittableRandom random = new SplittableRandom(3);
        double fromA = 0;
        double fromB = 0;
        int matings = 2000;
        for (int i = 0; i < matings; i++) {
            int[] a = codec.encode(CELL.sample(random), random);
            int[] b = codec.encode(CELL.sample(random), random);
            int[] child = crossover.cross(a, b, random);
            for (int g = 0; g < child.length; g++) {
                assertTrue(child[g] == a[g] || child[g] == b[g], "every gene comes from a parent");
            }
            fromA += distance(child, a);
            fromB += distance(child, b);
        }
        assertTrue(fromA / matings >= 2 && fromB / matings >= 2,
                "genes differing from each parent on average: " + fromA / matings + ", " + fromB / matings);
    }

    @Test
    void mutationChangesOnlyLiveChoicesSoEveryMutantIsANewArchitecture() {
        LiveMutation mutation = new LiveMutation(codec);
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 3000; i++) {
            int[] parent = codec.encode(CELL.sample(random), random);
            Architecture before = codec.decode(parent);
            assertNotEquals(before, codec.decode(mutation.mutate(parent, 0.0, random)), "at least one live change");
            assertNotEquals(before, codec.decode(mutation.mutate(parent, 0.2, random)));
            int[] one = mutation.mutateOne(parent, random);
            assertNotEquals(before, codec.decode(one));
            boolean[] live = codec.live(parent);
            long liveChanged = java.util.stream.IntStream.range(0, parent.length)
                    .filter(g -> live[g] && one[g] != parent[g]).count();
            assertTrue(liveChanged >= 1, "one live choice changed");
        }
    }

    @Test
    void aDepthIncreaseRevivesTheLatentBlockOrDrawsAFreshOne() {
        LiveMutation mutation = new LiveMutation(codec);
        SplittableRandom random = new SplittableRandom(5);
        int revived = 0;
        int redrawn = 0;
        for (int i = 0; i < 4000 && (revived < 20 || redrawn < 20); i++) {
            int[] parent = codec.encode(CELL.sample(random), random);
            int[] child = mutation.mutateOne(parent, random);
            for (int s = 0; s < CELL.stages().size(); s++) {
                int depthGene = codec.depthGene(s);
                if (child[depthGene] <= parent[depthGene]) {
                    continue;
                }
                int opened = codec.blockGene(s, CELL.stages().get(s).depths().get(parent[depthGene]));
                boolean same = java.util.Arrays.equals(java.util.Arrays.copyOfRange(parent, opened, opened + 4),
                        java.util.Arrays.copyOfRange(child, opened, opened + 4));
                if (same) {
                    revived++;
                } else {
                    redrawn++;
                }
            }
        }
        assertTrue(revived >= 20 && redrawn >= 10, "revived " + revived + ", redrawn " + redrawn);
    }

    @Test
    void everySearcherStartsFromTheSameSampleAndScoresTheSameNumberOfNewCandidates() {
        List<List<String>> initial = new ArrayList<>();
        for (String mode : List.of("ga", "aging", "random")) {
            SparkNasConfig config = ConfigLoader.load(null, List.of("search.mode=" + mode));
            CandidateLedger ledger = proxyLedger(config);
            @SuppressWarnings("unchecked")
            SearchObjective<Double> objective = (SearchObjective<Double>) SearchObjective.of(config.search()
                    .objective());
            Evolution<Double> evolution = new Evolution<>(config.search(), objective, codec, ledger);
            Evolution.Generation<Double> generation = evolution.initial(new SplittableRandom(11));
            ledger.commit(0);
            initial.add(ledger.rows().stream().map(CandidateRow::candidateId).toList());
            ISeq<Phenotype<IntegerGene, Double>> population = generation.population();
            for (int g = 1; g <= 5; g++) {
                generation = evolution.next(population, g, new SplittableRandom(100 + g), List.of());
                assertEquals(evolution.offspringPerGeneration(), generation.scored(), mode + " generation " + g);
                assertEquals(CONFIG.search().population(), generation.population().size());
                assertTrue(generation.stats().duplicateRate() < 0.5, mode + ": " + generation.stats());
                ledger.commit(g);
                population = generation.population();
            }
            long distinct = ledger.rows().stream().map(CandidateRow::candidateId).distinct().count();
            assertEquals(ledger.rows().size(), distinct, "no candidate is scored or recorded twice");
        }
        assertEquals(initial.get(0), initial.get(1));
        assertEquals(initial.get(0), initial.get(2));
    }

    /** A ledger that scores a candidate by its MMACs: the search without training. */
    static CandidateLedger proxyLedger(SparkNasConfig config) {
        CostModel costModel = new CostModel(CELL, config.target(), config.cost());
        return new CandidateLedger("test", (generation, rows) -> { }, costModel, (requests, job) -> {
            Map<String, CandidateScore> scores = new HashMap<>();
            for (var request : requests) {
                double macs = costModel.evaluate(request.architecture()).macs() / 1e6;
                scores.put(request.candidateId(), new CandidateScore(request.candidateId(), macs, macs, 0, "test", 0));
            }
            return scores;
        }, 0, "proxy");
    }

    private static int distance(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] != b[i] ? 1 : 0;
        }
        return d;
    }
}
