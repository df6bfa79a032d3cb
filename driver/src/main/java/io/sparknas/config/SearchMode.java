package io.sparknas.config;

import io.sparknas.text.TextForms;
import java.util.Locale;

/** How the search breeds candidates ({@code search.mode}); {@link #text()} is the configuration's spelling. */
public enum SearchMode {
    /**
     * A genetic algorithm: tournament parents, block or gene crossover, mutation of live choices, survivors the best
     * of parents and offspring (NSGA-II's fronts for two objectives); with the LLM proposer when one is configured.
     */
    GA("ga"),
    /**
     * Regularized evolution (Real et al. 2019): a tournament picks a parent, one live choice is mutated, the oldest
     * members leave the population.
     */
    AGING("aging"),
    /** Random feasible candidates with the same budget: the baseline. */
    RANDOM("random");

    private final String text;

    SearchMode(String text) {
        this.text = text;
    }

    /** The configuration's spelling. */
    public String text() {
        return text;
    }

    /** The mode spelled {@code text} (any case, surrounding blanks ignored). */
    public static SearchMode fromText(String text) {
        return TextForms.parse(values(), SearchMode::text, text.trim().toLowerCase(Locale.ROOT), "search mode");
    }

    @Override
    public String toString() {
        return text;
    }
}
