package io.sparknas.run;

import io.sparknas.text.TextForms;

/**
 * What became of an LLM proposal, or of a request that yielded none; {@link #text()} is the value of the
 * {@code outcome} column of {@code proposals/}.
 */
public enum ProposalOutcome {
    /** Accepted and scored in its generation. */
    EVALUATED("evaluated"),
    /** Accepted, but its generation did not score it. */
    NOT_EVALUATED("not-evaluated"),
    /** Accepted, not yet settled (never stored: the generation's commit settles it). */
    ACCEPTED("accepted"),
    /** More proposals than the generation's LLM slots. */
    SURPLUS("surplus"),
    /** Proposed twice, or seen in an earlier generation. */
    DUPLICATE("duplicate"),
    /** Outside a budget: recorded as an infeasible candidate, never scored. */
    INFEASIBLE("infeasible"),
    /** Not an architecture of the search space. */
    REJECTED("rejected"),
    /** The request failed (HTTP, time-out, Spark). */
    REQUEST_FAILED("request-failed"),
    /** The reply held no JSON. */
    NO_JSON("no-json"),
    /** The reply held no candidates. */
    EMPTY_REPLY("empty-reply"),
    /** The circuit breaker turned the proposer off. */
    BREAKER_OPEN("breaker-open");

    private final String text;

    ProposalOutcome(String text) {
        this.text = text;
    }

    /** The stored form. */
    public String text() {
        return text;
    }

    /** The outcome stored as {@code text}. */
    public static ProposalOutcome fromText(String text) {
        return TextForms.parse(values(), ProposalOutcome::text, text, "proposal outcome");
    }

    @Override
    public String toString() {
        return text;
    }
}
