package io.sparknas.run;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Who proposed a candidate; {@link #text()} is the value of the {@code proposer} column. */
public enum Proposer {
    /** The initial population of a GA search. */
    SEED("seed"),
    /** GA offspring: crossover and mutation. */
    GA("ga"),
    /** Random search (the baseline), including its initial sample. */
    RANDOM("random"),
    /** The LLM proposer. */
    LLM("llm");

    private final String text;

    Proposer(String text) {
        this.text = text;
    }

    /** The stored form. */
    public String text() {
        return text;
    }

    /** The proposer stored as {@code text}. */
    public static Proposer fromText(String text) {
        for (Proposer proposer : values()) {
            if (proposer.text.equals(text)) {
                return proposer;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a proposer; known: "
                + Arrays.stream(values()).map(Proposer::text).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return text;
    }
}
