package io.sparknas.run;

/**
 * One row of the {@code proposals/} table: a candidate an LLM proposed and what became of it, or a request that
 * yielded no candidates and why.
 *
 * @param runId          the run
 * @param generation     the generation the proposals were for
 * @param island         which of the generation's parallel requests (-1 for a circuit-breaker row)
 * @param model          the model asked
 * @param requestStatus  {@code ok}, {@code no-json}, {@code failed}, or {@code breaker-open}
 * @param requestDetail  why the request failed; empty when ok
 * @param httpAttempts   HTTP exchanges the request took
 * @param formatReminder whether a format reminder was needed
 * @param requestSeconds wall time of the request
 * @param replyChars     characters of the reply read
 * @param proposalIndex  the candidate's position in the reply; null on a request row
 * @param candidateId    the candidate's id once it is an architecture of the space; null otherwise
 * @param architecture   its canonical JSON (after repair); null when rejected or on a request row
 * @param outcome        what became of it ({@link ProposalOutcome}); on request rows {@code request-failed},
 *                       {@code no-json}, {@code empty-reply} or {@code breaker-open}
 * @param reason         the reason behind the outcome (a violation, a rejection, the earlier generation)
 * @param repaired       whether out-of-space values were snapped into the space
 * @param repairs        what was repaired
 * @param rationale      what the model said about it (data only)
 * @param raw            the candidate's JSON as received, cut to a few kilobytes
 */
public record ProposalRow(String runId, int generation, int island, String model, String requestStatus,
                          String requestDetail, int httpAttempts, boolean formatReminder, double requestSeconds,
                          long replyChars, Integer proposalIndex, String candidateId, String architecture,
                          ProposalOutcome outcome, String reason, boolean repaired, String repairs,
                          String rationale, String raw) {

    /** The columns of a generation's files (the {@code generation} partition column comes from the folder name). */
    public static final RowCodec<ProposalRow> CODEC = RowCodec.<ProposalRow>builder()
            .string("run_id", ProposalRow::runId)
            .integer("island", ProposalRow::island)
            .string("model", ProposalRow::model)
            .string("request_status", ProposalRow::requestStatus)
            .string("request_detail", ProposalRow::requestDetail)
            .integer("http_attempts", ProposalRow::httpAttempts)
            .bool("format_reminder", ProposalRow::formatReminder)
            .decimal("request_seconds", ProposalRow::requestSeconds)
            .longInteger("reply_chars", ProposalRow::replyChars)
            .optionalInteger("proposal_index", ProposalRow::proposalIndex)
            .optionalString("candidate_id", ProposalRow::candidateId)
            .optionalString("architecture", ProposalRow::architecture)
            .string("outcome", r -> r.outcome().text())
            .string("reason", ProposalRow::reason)
            .bool("repaired", ProposalRow::repaired)
            .string("repairs", ProposalRow::repairs)
            .string("rationale", ProposalRow::rationale)
            .string("raw", ProposalRow::raw)
            .build(row -> new ProposalRow(row.string("run_id"), row.integer(GenerationTable.GENERATION),
                    row.integer("island"), row.string("model"), row.string("request_status"),
                    row.string("request_detail"), row.integer("http_attempts"), row.bool("format_reminder"),
                    row.decimal("request_seconds"), row.longInteger("reply_chars"),
                    row.optionalInteger("proposal_index"), row.optionalString("candidate_id"),
                    row.optionalString("architecture"), ProposalOutcome.fromText(row.string("outcome")),
                    row.string("reason"), row.bool("repaired"), row.string("repairs"), row.string("rationale"),
                    row.string("raw")));

    /** This row for the architecture a proposal became (its id and canonical JSON); its outcome is decided next. */
    public ProposalRow withCandidate(String newCandidateId, String newArchitecture) {
        return new ProposalRow(runId, generation, island, model, requestStatus, requestDetail, httpAttempts,
                formatReminder, requestSeconds, replyChars, proposalIndex, newCandidateId, newArchitecture, outcome,
                reason, repaired, repairs, rationale, raw);
    }

    /** This row with another outcome. */
    public ProposalRow withOutcome(ProposalOutcome newOutcome, String newReason) {
        return new ProposalRow(runId, generation, island, model, requestStatus, requestDetail, httpAttempts,
                formatReminder, requestSeconds, replyChars, proposalIndex, candidateId, architecture, newOutcome,
                newReason, repaired, repairs, rationale, raw);
    }
}
