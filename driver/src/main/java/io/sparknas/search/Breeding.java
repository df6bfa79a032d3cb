package io.sparknas.search;

import io.sparknas.cost.Costs;
import io.sparknas.run.Proposer;
import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Makes a generation's offspring: new architectures that fit, each found by calling a searcher's recipe until the
 * child is neither known (scored, or recorded as infeasible) nor already among this generation's, and fits the
 * target by the cost model. A child that does not fit is recorded as infeasible, with its violations, and never
 * scored. After {@code tries} failed calls for one slot the slot is filled by a random new architecture that fits,
 * so every searcher scores the same number of new candidates per generation. Counts what it saw.
 */
final class Breeding {

    /** What one generation's breeding saw. */
    public record Stats(int attempts, int duplicates, int overBudget, int randomFills) {

        /** Share of the attempts that were duplicates. */
        public double duplicateRate() {
            return attempts == 0 ? 0 : (double) duplicates / attempts;
        }
    }

    private final GeneCodec codec;
    private final CandidateLedger ledger;
    private final FeasibleSampler sampler;
    private final int tries;

    Breeding(GeneCodec codec, CandidateLedger ledger, FeasibleSampler sampler, int tries) {
        this.codec = codec;
        this.ledger = ledger;
        this.sampler = sampler;
        this.tries = tries;
    }

    /**
     * The offspring of one generation and what breeding them saw.
     *
     * @param randomIds the candidate ids of the random fills, which are recorded as proposed by random sampling
     */
    record Offspring(List<int[]> genomes, Stats stats, Set<String> randomIds) {
    }

    /**
     * {@code count} new feasible genomes from {@code recipe}, distinct from each other and from {@code taken}
     * (candidate ids already placed in this generation, e.g. the LLM's proposals).
     */
    Offspring breed(int count, Supplier<int[]> recipe, Set<String> taken, Proposer proposer, int generation,
                    RandomGenerator random) {
        Set<String> placed = new HashSet<>(taken);
        List<int[]> genomes = new ArrayList<>(count);
        int attempts = 0;
        int duplicates = 0;
        int overBudget = 0;
        int randomFills = 0;
        Set<String> randomIds = new HashSet<>();
        for (int slot = 0; slot < count; slot++) {
            int[] found = null;
            for (int t = 0; t < tries && found == null; t++) {
                int[] child = recipe.get();
                attempts++;
                Architecture architecture = codec.decode(child);
                String id = CandidateLedger.candidateId(architecture);
                if (placed.contains(id) || ledger.isKnown(architecture)) {
                    duplicates++;
                    continue;
                }
                Costs costs = ledger.costs(architecture);
                if (!costs.feasible()) {
                    overBudget++;
                    ledger.recordInfeasible(architecture, costs, proposer, generation);
                    continue;
                }
                placed.add(id);
                found = child;
            }
            if (found == null) {
                Architecture drawn = sampler.draw(random,
                        a -> !placed.contains(CandidateLedger.candidateId(a)) && !ledger.isKnown(a));
                placed.add(CandidateLedger.candidateId(drawn));
                randomIds.add(CandidateLedger.candidateId(drawn));
                found = codec.encode(drawn, random);
                randomFills++;
            }
            genomes.add(found);
        }
        return new Offspring(genomes, new Stats(attempts, duplicates, overBudget, randomFills),
                randomIds);
    }
}
