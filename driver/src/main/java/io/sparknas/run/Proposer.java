package io.sparknas.run;

import io.sparknas.text.TextForms;

/** Who proposed a candidate; {@link #text()} is the value of the {@code proposer} column. */
public enum Proposer {
    /** The initial sample, the same for every search mode. */
    SEED("seed"),
    /** GA offspring: crossover and mutation. */
    GA("ga"),
    /** Regularized evolution's offspring: one mutated choice. */
    AGING("aging"),
    /** A random feasible candidate: random search (the baseline), or a slot the operators could not fill. */
    RANDOM("random"),
    /** The LLM proposer. */
    LLM("llm"),
    /** Not proposed: the hand-designed MobileNetV2-style baseline that finalize trains beside the found models. */
    BASELINE("baseline");

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
