package io.sparknas.config;

import io.sparknas.text.TextForms;
import java.util.Locale;

/** What the evolution optimizes ({@code search.objective}); {@link #text()} is the configuration's spelling. */
public enum Objective {
    /** The val mAP alone. */
    MAP("map"),
    /** val mAP against estimated latency: a Pareto front. */
    MAP_LATENCY("map-latency"),
    /** val mAP against MACs: a Pareto front. */
    MAP_MACS("map-macs");

    private final String text;

    Objective(String text) {
        this.text = text;
    }

    /** The configuration's spelling. */
    public String text() {
        return text;
    }

    /** The objective spelled {@code text} (any case, surrounding blanks ignored). */
    public static Objective fromText(String text) {
        return TextForms.parse(values(), Objective::text, text.trim().toLowerCase(Locale.ROOT), "objective");
    }

    @Override
    public String toString() {
        return text;
    }
}
