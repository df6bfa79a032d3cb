package io.sparknas.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the search breeds candidates ({@code search.mode}); {@link #text()} is the configuration's spelling. */
public enum SearchMode {
    /** Jenetics evolution, with the LLM proposer when one is configured. */
    GA("ga"),
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
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (SearchMode mode : values()) {
            if (mode.text.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a search mode; allowed: "
                + Arrays.stream(values()).map(SearchMode::text).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return text;
    }
}
