package io.sparknas.llm;

import java.util.List;

/**
 * What a reply contained.
 *
 * @param jsonFound whether any JSON candidates list could be read from it
 * @param proposals every candidate it held, valid, repaired or rejected
 */
public record ParsedReply(boolean jsonFound, List<ParsedProposal> proposals) implements java.io.Serializable {

    public ParsedReply {
        proposals = List.copyOf(proposals);
    }
}
