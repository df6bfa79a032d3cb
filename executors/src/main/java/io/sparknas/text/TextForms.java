package io.sparknas.text;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Enums whose constants have a text form in the configuration or in Parquet ({@code map-latency},
 * {@code request-failed}): the one lookup from text back to the constant, with a message that lists what is
 * allowed.
 */
public final class TextForms {

    private TextForms() {
    }

    /**
     * The constant of {@code values} whose text form is {@code text}.
     *
     * @param what what the text names, for the message (e.g. "search mode")
     */
    public static <E extends Enum<E>> E parse(E[] values, Function<E, String> textForm, String text, String what) {
        for (E value : values) {
            if (textForm.apply(value).equals(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a " + what + "; allowed: "
                + Arrays.stream(values).map(textForm).collect(Collectors.joining(", ")));
    }
}
