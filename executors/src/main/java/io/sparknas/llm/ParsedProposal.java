package io.sparknas.llm;

import io.sparknas.space.Architecture;

/**
 * One candidate read from a reply, after validation against the space.
 *
 * @param index        its position in the reply
 * @param raw          its JSON as received, cut to a few kilobytes
 * @param architecture the architecture, repaired into the space where needed; null when rejected
 * @param status       {@code valid}, {@code repaired} or {@code rejected}
 * @param detail       what was repaired, or why it was rejected; empty when valid
 * @param rationale    the reason the model gave, if any (data only, cut to 300 characters)
 */
public record ParsedProposal(int index, String raw, Architecture architecture, String status, String detail,
                             String rationale) implements java.io.Serializable {

    /** Whether it yields an architecture of the space. */
    public boolean usable() {
        return architecture != null;
    }
}
