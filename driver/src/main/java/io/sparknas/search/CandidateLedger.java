package io.sparknas.search;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.run.CandidateCosts;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.Proposer;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.task.CandidateRequest;
import io.sparknas.task.CandidateScore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every candidate a search has seen, by id: costs from the cost model before anything else, Spark scoring for the
 * feasible ones that are new (a known candidate is never scored again), and the rows of the current generation
 * until they are committed to {@code candidates/}.
 */
public final class CandidateLedger {

    private final String runId;
    private final BiConsumer<Integer, List<CandidateRow>> table;
    private final CostModel costModel;
    private final CandidateScorer scorer;
    private final long evaluationSeed;
    private final String provenance;
    private final Map<String, CandidateRow> known = new LinkedHashMap<>();
    private final Map<String, CandidateRow> pending = new LinkedHashMap<>();
    private double scoringSeconds;

    /**
     * @param table          where each generation's rows are committed: the run's {@code candidates/}
     * @param evaluationSeed seed of every candidate's BatchNorm recalibration batches (the same images for all,
     *                       so scores compare)
     * @param provenance     what produced the scores (supernet checkpoint and epoch), stored with every row
     */
    public CandidateLedger(String runId, BiConsumer<Integer, List<CandidateRow>> table, CostModel costModel,
                           CandidateScorer scorer,
                           long evaluationSeed, String provenance) {
        this.runId = runId;
        this.table = table;
        this.costModel = costModel;
        this.scorer = scorer;
        this.evaluationSeed = evaluationSeed;
        this.provenance = provenance;
    }

    /** The stable id of an architecture: the first 16 hex digits of the SHA-256 of its canonical JSON. */
    public static String candidateId(Architecture architecture) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(ArchitectureJson.encode(architecture).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Restores rows committed by an earlier session of the same run (resume). */
    public void restore(List<CandidateRow> rows) {
        for (CandidateRow row : rows) {
            known.put(row.candidateId(), row);
        }
    }

    /** The costs of an architecture on the target. */
    public Costs costs(Architecture architecture) {
        return costModel.evaluate(architecture);
    }

    /** Whether the candidate has been seen (evaluated, or recorded as infeasible). */
    public boolean isKnown(Architecture architecture) {
        String id = candidateId(architecture);
        return known.containsKey(id) || pending.containsKey(id);
    }

    /** Records an infeasible candidate (rejected before any evaluation), once. */
    public void recordInfeasible(Architecture architecture, Costs costs, Proposer proposer, int generation) {
        if (!isKnown(architecture)) {
            String id = candidateId(architecture);
            pending.put(id, new CandidateRow(runId, generation, id, proposer, architecture, CandidateCosts.of(costs),
                    null, null, null, evaluationSeed, provenance));
        }
    }

    /**
     * Scores the new feasible candidates among {@code architectures} in one Spark job (infeasible new ones are
     * recorded without scores); known ones are skipped. Returns how many were scored.
     */
    public int evaluate(List<Architecture> architectures, Proposer proposer, int generation) {
        return evaluate(architectures, architecture -> proposer, generation);
    }

    /** As {@link #evaluate(List, Proposer, int)}, each candidate's proposer given by {@code proposerOf}. */
    public int evaluate(List<Architecture> architectures, Function<Architecture, Proposer> proposerOf,
                        int generation) {
        Map<String, Architecture> fresh = new LinkedHashMap<>();
        for (Architecture architecture : architectures) {
            if (isKnown(architecture)) {
                continue;
            }
            Costs costs = costs(architecture);
            if (!costs.feasible()) {
                recordInfeasible(architecture, costs, proposerOf.apply(architecture), generation);
                continue;
            }
            fresh.putIfAbsent(candidateId(architecture), architecture);
        }
        List<CandidateRequest> requests = new ArrayList<>();
        fresh.forEach((id, architecture) -> requests.add(new CandidateRequest(id, architecture, evaluationSeed)));
        long start = System.nanoTime();
        Map<String, CandidateScore> scores = scorer.score(requests, "SparkNAS " + runId + ": generation " + generation
                + ", " + requests.size() + " candidates");
        scoringSeconds += (System.nanoTime() - start) / 1e9;
        for (CandidateRequest request : requests) {
            CandidateScore score = scores.get(request.candidateId());
            if (score == null) {
                throw new IllegalStateException("candidate " + request.candidateId() + " came back without a score");
            }
            pending.put(request.candidateId(), new CandidateRow(runId, generation, request.candidateId(),
                    proposerOf.apply(request.architecture()), request.architecture(),
                    CandidateCosts.of(costs(request.architecture())), score.map50(), score.mapCoco(), score.seconds(),
                    evaluationSeed, provenance + "; host " + score.host() + ", attempt " + score.attempt()));
        }
        return requests.size();
    }

    /** The row of a known candidate (committed or pending), or null. */
    public CandidateRow row(Architecture architecture) {
        String id = candidateId(architecture);
        CandidateRow row = known.get(id);
        return row != null ? row : pending.get(id);
    }

    /** Wall seconds of the Spark scoring jobs of the generation in progress. */
    public double scoringSeconds() {
        return scoringSeconds;
    }

    /** The rows of the generation in progress. */
    public List<CandidateRow> pending() {
        return List.copyOf(pending.values());
    }

    /** Writes the generation's rows as {@code candidates/generation=N}, atomically, and makes them known. */
    public void commit(int generation) {
        table.accept(generation, List.copyOf(pending.values()));
        known.putAll(pending);
        pending.clear();
        scoringSeconds = 0;
    }

    /** Every committed row. */
    public List<CandidateRow> rows() {
        return List.copyOf(known.values());
    }

    /** Every committed candidate that fits and was scored. */
    public List<CandidateRow> feasibleScored() {
        return known.values().stream().filter(r -> r.feasible() && r.evaluated()).toList();
    }
}
