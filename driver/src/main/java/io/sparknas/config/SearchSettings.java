package io.sparknas.config;

/**
 * How the architecture search runs (the {@code search} section of the configuration).
 *
 * @param mode              Jenetics evolution, or random search with the same budget
 * @param objective         mAP alone, or mAP against latency or MACs (a Pareto front)
 * @param population        population size; also candidates per generation in random mode
 * @param generations       generations after the initial population
 * @param offspringFraction share of each new population bred from the old one (the rest survive)
 * @param crossoverRate     probability of uniform crossover per pair
 * @param mutationRate      probability of mutating each gene
 * @param elitism           best candidates kept unchanged every generation
 * @param tournamentSize    candidates per selection tournament
 * @param partitions        Spark partitions per generation's job; 0: one per candidate
 * @param threadsPerTask    ND4J threads per Spark task; 0: the cores divided among concurrently running tasks
 * @param top               best feasible candidates printed at the end
 * @param sampleAttempts    random draws allowed to find one feasible candidate
 * @param failFirstAttempt  testing only: fail the first attempt of every scoring task, to exercise Spark's retries
 */
public record SearchSettings(SearchMode mode, Objective objective, int population, int generations, double offspringFraction,
                             double crossoverRate, double mutationRate, int elitism, int tournamentSize,
                             int partitions, int threadsPerTask, int top, int sampleAttempts,
                             boolean failFirstAttempt) {

    public SearchSettings {
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(objective, "objective");
        if (elitism >= population) {
            throw new IllegalArgumentException("elitism (" + elitism + ") must be smaller than the population ("
                    + population + ")");
        }
    }
}
