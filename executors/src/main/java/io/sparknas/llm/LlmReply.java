package io.sparknas.llm;

import java.util.List;

/**
 * The outcome of one proposal request, as it comes back from its executor task.
 *
 * @param island         which of the generation's parallel requests
 * @param status         {@code ok} (JSON read), {@code no-json} (none even after the format reminder) or
 *                       {@code failed} (no usable reply: HTTP errors after retries, timeout, oversized reply)
 * @param detail         why it failed; empty when ok
 * @param httpAttempts   HTTP exchanges made, retries and the format reminder included
 * @param formatReminder whether a format reminder was sent
 * @param seconds        wall time of the request, retries and backoff included
 * @param replyChars     characters of the last reply read; 0 when none
 * @param proposals      the candidates read from the reply
 */
public record LlmReply(int island, String status, String detail, int httpAttempts, boolean formatReminder,
                       double seconds, long replyChars, List<ParsedProposal> proposals)
        implements java.io.Serializable {

    public LlmReply {
        proposals = List.copyOf(proposals);
    }

    /** Whether the endpoint gave a reply with readable JSON (what keeps the circuit breaker closed). */
    public boolean succeeded() {
        return status.equals("ok");
    }
}
