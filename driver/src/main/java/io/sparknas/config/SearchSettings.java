package io.sparknas.config;

/**
 * How the architecture search runs (the {@code search} section of the configuration).
 *
 * @param mode              the searcher: genetic algorithm, regularized evolution, or random search (same budget)
 * @param objective         mAP alone, or mAP against latency or MACs (a Pareto front)
 * @param population        population size, and the size of the initial sample
 * @param generations       generations after the initial sample
 * @param offspringFraction new candidates scored per generation, as a share of the population (every mode)
 * @param crossoverRate     probability that a GA child is a crossover of its two parents
 * @param mutationRate      probability of mutating each live choice of a GA child
 * @param tournamentSize    candidates per selection tournament
 * @param partitions        Spark partitions per generation's job; 0: one per candidate
 * @param threadsPerTask    ND4J threads per Spark task; 0: the cores divided among concurrently running tasks
 * @param top               best feasible candidates printed at the end
 * @param sampleAttempts    random draws allowed to find one feasible candidate
 * @param breedingAttempts  children a searcher may make for one offspring slot before a random draw fills it
 * @param failFirstAttempt  testing only: fail the first attempt of every scoring task, to exercise Spark's retries
 */
public record SearchSettings(SearchMode mode, Objective objective, int population, int generations, double offspringFraction,
                             double crossoverRate, double mutationRate, int tournamentSize,
                             int partitions, int threadsPerTask, int top, int sampleAttempts, int breedingAttempts,
                             boolean failFirstAttempt) {

    public SearchSettings {
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(objective, "objective");
    }
}
