package io.sparknas.run;

import io.sparknas.config.TextForms;

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
        return TextForms.parse(values(), Proposer::text, text, "proposer");
    }

    @Override
    public String toString() {
        return text;
    }
}
