package io.sparknas.search;

import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.sparknas.config.SearchSettings;
import io.sparknas.run.Proposer;
import io.sparknas.space.GeneCodec;
import java.util.random.RandomGenerator;

/**
 * One way of searching ({@code search.mode}): how a child is made from the population, and who stays after a
 * generation. Every searcher gets the same initial sample and the same number of new candidates per generation
 * ({@link Breeding}), so their results compare at equal budget.
 *
 * @param <C> the fitness type
 */
sealed interface Searcher<C extends Comparable<? super C>>
        permits Searcher.Genetic, Searcher.Aging, Searcher.Random {

    /** The searcher {@code settings.mode()} names. */
    static <C extends Comparable<? super C>> Searcher<C> of(SearchSettings settings, SearchObjective<C> objective,
                                                            GeneCodec codec) {
        return switch (settings.mode()) {
            case GA -> new Genetic<>(settings, objective, new BlockCrossover(codec), new LiveMutation(codec), codec);
            case AGING -> new Aging<>(settings, objective, new LiveMutation(codec));
            case RANDOM -> new Random<>(settings, objective, codec);
        };
    }

    /** Recorded as the proposer of its children. */
    Proposer proposer();

    /** One child genome; may be a duplicate or over budget ({@link Breeding} asks again). */
    int[] child(ISeq<Phenotype<IntegerGene, C>> population, RandomGenerator random);

    /** The next population, {@code size} members, from the current one and the scored offspring. */
    ISeq<Phenotype<IntegerGene, C>> survivors(ISeq<Phenotype<IntegerGene, C>> population,
                                              ISeq<Phenotype<IntegerGene, C>> offspring, int size);

    /** The objective's truncation of parents and offspring together: (μ + λ) survivors. */
    private static <C extends Comparable<? super C>> ISeq<Phenotype<IntegerGene, C>> best(
            SearchObjective<C> objective, SearchSettings settings, ISeq<Phenotype<IntegerGene, C>> population,
            ISeq<Phenotype<IntegerGene, C>> offspring, int size) {
        return objective.survivors(settings).select(population.append(offspring), size, Optimize.MAXIMUM);
    }

    /**
     * The genetic algorithm: two parents by the objective's tournament; with probability {@code crossover-rate} a
     * {@link BlockCrossover} child, otherwise a copy of the first; then {@link LiveMutation} of each live choice with
     * probability {@code mutation-rate}, and of one live choice whenever the child would equal a parent. Survivors:
     * the objective's truncation of parents and offspring together ((μ + λ): the best are never lost; NSGA-II's
     * fronts and crowding for two objectives).
     */
    record Genetic<C extends Comparable<? super C>>(SearchSettings settings, SearchObjective<C> objective,
                                                    BlockCrossover crossover, LiveMutation mutation, GeneCodec codec)
            implements Searcher<C> {
        @Override
        public Proposer proposer() {
            return Proposer.GA;
        }

        @Override
        public int[] child(ISeq<Phenotype<IntegerGene, C>> population, RandomGenerator random) {
            ISeq<Phenotype<IntegerGene, C>> parents = objective.parents(settings).select(population, 2,
                    Optimize.MAXIMUM);
            int[] a = codec.genes(parents.get(0).genotype());
            int[] b = codec.genes(parents.get(1).genotype());
            boolean crossed = random.nextDouble() < settings.crossoverRate();
            int[] child = crossed ? crossover.cross(a, b, random) : a.clone();
            boolean likeParent = !crossed || codec.decode(child).equals(codec.decode(a))
                    || codec.decode(child).equals(codec.decode(b));
            return likeParent ? mutation.mutate(child, settings.mutationRate(), random)
                    : mutation.mutateSome(child, settings.mutationRate(), random);
        }

        @Override
        public ISeq<Phenotype<IntegerGene, C>> survivors(ISeq<Phenotype<IntegerGene, C>> population,
                                                         ISeq<Phenotype<IntegerGene, C>> offspring, int size) {
            return best(objective, settings, population, offspring, size);
        }
    }

    /**
     * Regularized evolution: a parent by the objective's tournament ({@code tournament-size} members drawn at
     * random), one live choice mutated; the population is kept in order of age and the oldest leave, whatever
     * their fitness.
     */
    record Aging<C extends Comparable<? super C>>(SearchSettings settings, SearchObjective<C> objective,
                                                  LiveMutation mutation) implements Searcher<C> {
        @Override
        public Proposer proposer() {
            return Proposer.AGING;
        }

        @Override
        public int[] child(ISeq<Phenotype<IntegerGene, C>> population, RandomGenerator random) {
            Phenotype<IntegerGene, C> parent = objective.parents(settings).select(population, 1, Optimize.MAXIMUM)
                    .get(0);
            return mutation.mutateOne(mutation.codec().genes(parent.genotype()), random);
        }

        @Override
        public ISeq<Phenotype<IntegerGene, C>> survivors(ISeq<Phenotype<IntegerGene, C>> population,
                                                         ISeq<Phenotype<IntegerGene, C>> offspring, int size) {
            ISeq<Phenotype<IntegerGene, C>> all = population.append(offspring);
            return all.subSeq(Math.max(0, all.size() - size));
        }
    }

    /**
     * Random search, the baseline: every child a uniform draw from the space. Its population (what a resume starts
     * from and what is stored) is the objective's truncation of everything scored.
     */
    record Random<C extends Comparable<? super C>>(SearchSettings settings, SearchObjective<C> objective,
                                                   GeneCodec codec) implements Searcher<C> {
        @Override
        public Proposer proposer() {
            return Proposer.RANDOM;
        }

        @Override
        public int[] child(ISeq<Phenotype<IntegerGene, C>> population, RandomGenerator random) {
            return codec.encode(codec.space().sample(random), random);
        }

        @Override
        public ISeq<Phenotype<IntegerGene, C>> survivors(ISeq<Phenotype<IntegerGene, C>> population,
                                                         ISeq<Phenotype<IntegerGene, C>> offspring, int size) {
            return best(objective, settings, population, offspring, size);
        }
    }
}
