package io.sparknas.search;

import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.engine.Constraint;
import io.jenetics.util.RandomRegistry;
import io.sparknas.cost.Costs;
import io.sparknas.run.Proposer;
import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;

/**
 * The hard budgets (SRAM, Flash, latency) as a Jenetics constraint, checked with the cost model before any
 * accuracy evaluation: an offspring that does not fit is recorded as infeasible, with its violations, and replaced
 * by a random one that fits, so no Spark work is spent on it.
 */
final class FeasibilityConstraint<C extends Comparable<? super C>> implements Constraint<IntegerGene, C> {

    private final GeneCodec codec;
    private final CandidateLedger ledger;
    private final FeasibleSampler sampler;
    private int generation;

    FeasibilityConstraint(GeneCodec codec, CandidateLedger ledger, FeasibleSampler sampler) {
        this.codec = codec;
        this.ledger = ledger;
        this.sampler = sampler;
    }

    /** The generation whose offspring are being checked (rows of rejected ones carry it). */
    void generation(int current) {
        this.generation = current;
    }

    @Override
    public boolean test(Phenotype<IntegerGene, C> individual) {
        return ledger.costs(codec.decode(individual.genotype())).feasible();
    }

    @Override
    public Phenotype<IntegerGene, C> repair(Phenotype<IntegerGene, C> individual, long born) {
        Architecture rejected = codec.decode(individual.genotype());
        Costs costs = ledger.costs(rejected);
        ledger.recordInfeasible(rejected, costs, Proposer.GA, generation);
        Architecture replacement = sampler.draw(RandomRegistry.random(), a -> true);
        return Phenotype.of(codec.genotype(replacement), born);
    }
}
