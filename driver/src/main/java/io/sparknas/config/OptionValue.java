package io.sparknas.config;

import java.util.Objects;

/**
 * A command's own option as a configuration value, typed as the option was (e.g. {@code search --population 8}
 * sets {@code search.population} to the number 8): applied after {@code --set}, validated like any key, and named
 * by its option in messages.
 *
 * @param key    the configuration key it sets
 * @param value  its value: a String, Number or Boolean
 * @param option the option that gave it, e.g. {@code --population}
 */
public record OptionValue(String key, Object value, String option) {

    public OptionValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(option, "option");
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException(option + ": a configuration value is a string, number or boolean, got "
                    + value);
        }
    }
}
