package io.sparknas.search;

import java.util.Locale;

/**
 * How the architecture search runs (the {@code search} section of the configuration).
 *
 * @param mode              {@code ga} (Jenetics evolution) or {@code random} (random search with the same budget)
 * @param objective         {@code map}, or two objectives {@code map-latency} / {@code map-macs} (Pareto front)
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
public record SearchSettings(String mode, String objective, int population, int generations, double offspringFraction,
                             double crossoverRate, double mutationRate, int elitism, int tournamentSize,
                             int partitions, int threadsPerTask, int top, int sampleAttempts,
                             boolean failFirstAttempt) {

    public SearchSettings {
        mode = mode.toLowerCase(Locale.ROOT);
        if (!mode.equals("ga") && !mode.equals("random")) {
            throw new IllegalArgumentException("search mode must be ga or random, got " + mode);
        }
        SearchObjective.named(objective);
        if (elitism >= population) {
            throw new IllegalArgumentException("elitism (" + elitism + ") must be smaller than the population ("
                    + population + ")");
        }
    }
}
