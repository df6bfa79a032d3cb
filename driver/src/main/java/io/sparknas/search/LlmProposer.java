package io.sparknas.search;

import dev.failsafe.RateLimiter;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Costs;
import io.sparknas.cost.Target;
import io.sparknas.llm.LlmReply;
import io.sparknas.llm.LlmSettings;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.ProposalOutcome;
import io.sparknas.run.ProposalRow;
import io.sparknas.run.Proposer;
import io.sparknas.run.Run;
import io.sparknas.llm.ParsedProposal;
import io.sparknas.llm.PromptContext;
import io.sparknas.logging.ConsoleText;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.SearchSpace;
import io.sparknas.task.LlmProposalTask;
import io.sparknas.task.LlmRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The LLM side of the evolution. Each generation it asks {@code llm.concurrency} requests in parallel, one Spark
 * task each with its own sampling seed, and turns the replies into candidates: rejected when not a point of the
 * space, duplicates dropped, budgets checked by the cost model (infeasible ones recorded, never scored), the rest
 * accepted up to the generation's LLM share of the offspring. Every proposal and every failed request becomes a
 * {@code proposals/} row.
 *
 * <p>A failing endpoint cannot hurt the run: requests are rate limited, retried with backoff inside their task,
 * bounded in time and size, and after {@code llm.breaker-failures} consecutive failed requests a circuit breaker
 * turns the proposer off for the rest of the run (also after a resume), and the evolution goes on GA only.
 */
public final class LlmProposer {

    private final Run run;
    private final LlmSettings settings;
    private final SearchSpace cell;
    private final Target target;
    private final CostSettings cost;
    private final long seed;
    private final RateLimiter<Object> limiter;
    private final List<ProposalRow> pending = new ArrayList<>();
    private final Map<String, Integer> accepted = new HashMap<>();
    private int consecutiveFailures;
    private boolean open;

    public LlmProposer(Run run, LlmSettings settings, SearchSpace cell, Target target, CostSettings cost, long seed) {
        this.run = run;
        this.settings = settings;
        this.cell = cell;
        this.target = target;
        this.cost = cost;
        this.seed = seed;
        this.limiter = settings.requestsPerMinute() > 0
                ? RateLimiter.smoothBuilder(Duration.ofNanos((long) (60e9 / settings.requestsPerMinute())))
                        .withMaxWaitTime(Duration.ofHours(1)).build()
                : null;
    }

    /** Whether proposals are still asked for (the circuit breaker has not opened). */
    public boolean active() {
        return !open;
    }

    /** The settings it asks with. */
    public LlmSettings settings() {
        return settings;
    }

    /** Continues a resumed run: the breaker's state and the run of failures it had counted. */
    public void restore(List<ProposalRow> committed) {
        Map<String, ProposalRow> requests = new TreeMap<>();
        for (ProposalRow row : committed) {
            if (row.outcome() == ProposalOutcome.BREAKER_OPEN) {
                open = true;
            } else {
                requests.putIfAbsent(String.format(Locale.ROOT, "%09d-%05d", row.generation(), row.island()), row);
            }
        }
        consecutiveFailures = 0;
        for (ProposalRow request : requests.values()) {
            consecutiveFailures = request.requestStatus().equals("ok") ? 0 : consecutiveFailures + 1;
        }
    }

    /**
     * Asks for the proposals of {@code generation} and returns the accepted ones: new, feasible architectures of
     * the space, at most {@code slots}. Infeasible proposals are recorded in the ledger as {@code llm} rows.
     */
    public List<Architecture> propose(int generation, int slots, CandidateLedger ledger, SearchObjective<?> objective) {
        if (open || slots <= 0) {
            return List.of();
        }
        long start = System.nanoTime();
        PromptContext context = PromptHistory.context(ledger.rows(), cell, target, cost, objective, settings,
                generation);
        List<LlmRequest> requests = new ArrayList<>();
        for (int island = 0; island < settings.concurrency(); island++) {
            requests.add(new LlmRequest(island, settings.concurrency(),
                    (int) Seeds.derive(seed, "llm", generation, island), context, settings));
        }
        List<LlmReply> replies = ask(requests, generation);
        List<Architecture> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (LlmReply reply : replies) {
            if (!reply.succeeded()) {
                record(requestRow(generation, reply, reply.status().equals("no-json") ? ProposalOutcome.NO_JSON
                        : ProposalOutcome.REQUEST_FAILED), counts);
                consecutiveFailures++;
                if (!open && consecutiveFailures >= settings.breakerFailures()) {
                    open = true;
                    record(new ProposalRow(run.id(), generation, -1, settings.model(), "breaker-open", reply.detail(),
                            0, false, 0, 0, null, null, null, ProposalOutcome.BREAKER_OPEN, consecutiveFailures
                            + " consecutive failed requests", false, "", "", ""), counts);
                    run.progress(String.format(Locale.ROOT, "LLM proposer: off for the rest of the run after %d "
                            + "consecutive failed requests (last: %s); the search goes on GA only",
                            consecutiveFailures, ConsoleText.line(reply.detail())));
                }
                continue;
            }
            consecutiveFailures = 0;
            if (reply.proposals().isEmpty()) {
                record(requestRow(generation, reply, ProposalOutcome.EMPTY_REPLY), counts);
            }
            for (ParsedProposal proposal : reply.proposals()) {
                record(judge(generation, reply, proposal, ledger, seen, chosen, slots), counts);
            }
        }
        run.progress(String.format(Locale.ROOT, "LLM proposer: generation %d, %d request(s) in %.1f s: %s",
                generation, requests.size(), (System.nanoTime() - start) / 1e9, counts));
        return chosen;
    }

    private ProposalRow judge(int generation, LlmReply reply, ParsedProposal proposal, CandidateLedger ledger,
                              Set<String> seen, List<Architecture> chosen, int slots) {
        ProposalRow base = new ProposalRow(run.id(), generation, reply.island(), settings.model(), reply.status(),
                reply.detail(), reply.httpAttempts(), reply.formatReminder(), reply.seconds(), reply.replyChars(),
                proposal.index(), null, null, ProposalOutcome.REJECTED, proposal.detail(), proposal.status().equals("repaired"),
                proposal.status().equals("repaired") ? proposal.detail() : "", proposal.rationale(), proposal.raw());
        if (!proposal.usable()) {
            return base;
        }
        Architecture architecture = proposal.architecture();
        String id = CandidateLedger.candidateId(architecture);
        ProposalRow row = base.withCandidate(id, ArchitectureJson.encode(architecture));
        if (!seen.add(id)) {
            return row.withOutcome(ProposalOutcome.DUPLICATE, "proposed twice in this generation");
        }
        CandidateRow known = ledger.row(architecture);
        if (known != null) {
            return row.withOutcome(ProposalOutcome.DUPLICATE, "already seen in generation " + known.generation()
                    + (known.evaluated() ? " (evaluated)" : " (infeasible)"));
        }
        Costs costs = ledger.costs(architecture);
        if (!costs.feasible()) {
            ledger.recordInfeasible(architecture, costs, Proposer.LLM, generation);
            return row.withOutcome(ProposalOutcome.INFEASIBLE, costs.violations().stream().map(v -> v.describe())
                    .reduce((a, b) -> a + "; " + b).orElse(""));
        }
        if (chosen.size() >= slots) {
            return row.withOutcome(ProposalOutcome.SURPLUS, "the generation's " + slots + " LLM offspring slots were filled");
        }
        chosen.add(architecture);
        accepted.put(id, pending.size());
        return row.withOutcome(ProposalOutcome.ACCEPTED, "");
    }

    private List<LlmReply> ask(List<LlmRequest> requests, int generation) {
        if (limiter != null) {
            try {
                limiter.acquirePermits(requests.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return requests.stream().map(r -> failed(r, "interrupted while waiting for a rate-limit permit"))
                        .toList();
            }
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(run.spark().sparkContext());
        context.setJobDescription("SparkNAS " + run.id() + ": generation " + generation + ", " + requests.size()
                + " LLM proposal request(s)");
        try {
            List<LlmReply> replies = new ArrayList<>(context.parallelize(requests, requests.size())
                    .map(new LlmProposalTask()).collect());
            replies.sort(Comparator.comparingInt(LlmReply::island));
            return replies;
        } catch (RuntimeException e) {
            return requests.stream().map(r -> failed(r, "the Spark job failed: " + e.getMessage())).toList();
        }
    }

    private static LlmReply failed(LlmRequest request, String detail) {
        return new LlmReply(request.island(), "failed", detail, 0, false, 0, 0, List.of());
    }

    private ProposalRow requestRow(int generation, LlmReply reply, ProposalOutcome outcome) {
        return new ProposalRow(run.id(), generation, reply.island(), settings.model(), reply.status(), reply.detail(),
                reply.httpAttempts(), reply.formatReminder(), reply.seconds(), reply.replyChars(), null, null, null,
                outcome, reply.detail(), false, "", "", "");
    }

    private void record(ProposalRow row, Map<String, Integer> counts) {
        pending.add(row);
        counts.merge(row.outcome().text(), 1, Integer::sum);
    }

    /**
     * Settles the accepted proposals (scored, or not when the generation never reached them) and writes the
     * generation's rows as {@code proposals/generation=N}.
     */
    public void commit(int generation, CandidateLedger ledger) {
        for (Map.Entry<String, Integer> entry : accepted.entrySet()) {
            ProposalRow row = pending.get(entry.getValue());
            CandidateRow scored = ledger.row(ArchitectureJson.decode(row.architecture()));
            boolean evaluated = scored != null && scored.evaluated() && scored.proposer() == Proposer.LLM;
            pending.set(entry.getValue(), row.withOutcome(evaluated ? ProposalOutcome.EVALUATED
                            : ProposalOutcome.NOT_EVALUATED,
                    evaluated ? String.format(Locale.ROOT, "val mAP@0.5 %.4f", scored.map50()) : "not scored"));
        }
        if (!pending.isEmpty()) {
            run.proposals().commit(generation, pending);
        }
        pending.clear();
        accepted.clear();
    }
}
