package io.sparknas.search;

import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.sparknas.config.SearchSettings;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.GenerationSummary;
import io.sparknas.run.PopulationMember;
import io.sparknas.run.Run;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.GeneCodec;
import io.sparknas.space.SearchSpace;
import io.sparknas.train.DetectorTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The search loop against the run folder: the initial sample (generation 0), then one {@link Evolution} generation
 * at a time, each scored as one Spark job and committed to Parquet before the next starts: its candidates, its
 * summary ({@code generations/}: duplicates, best mAP, hypervolume) and, last, its population with every member's
 * whole genotype, latent genes included. In {@code ga} mode with an LLM endpoint configured, a share of each
 * generation's offspring comes from the {@link LlmProposer} (asked before the generation is bred).
 *
 * <p>Every random choice of generation N comes from a generator seeded by (run seed, N), so a run resumed after
 * generation N (population genotypes and known candidates read back from Parquet) continues exactly as the
 * uninterrupted run would have.
 */
public final class ArchitectureSearch<C extends Comparable<? super C>> {

    private final Run run;
    private final SearchSettings settings;
    private final CandidateLedger ledger;
    private final long seed;
    private final GeneCodec codec;
    private final SearchObjective<C> objective;
    private final LlmProposer proposer;
    private final Evolution<C> evolution;

    /**
     * @param proposer the LLM proposer mixed into the evolution (ga mode), or null for none
     */
    public ArchitectureSearch(Run run, SearchSettings settings, SearchObjective<C> objective, SearchSpace space,
                              CandidateLedger ledger, long seed, LlmProposer proposer) {
        this.objective = objective;
        this.proposer = proposer;
        this.run = run;
        this.settings = settings;
        this.ledger = ledger;
        this.seed = seed;
        this.codec = new GeneCodec(space);
        this.evolution = new Evolution<>(settings, objective, codec, ledger);
    }

    /** The last generation committed in the run folder (its population is saved), or -1 for none. */
    public static int lastCommittedGeneration(Run run) {
        return run.population().lastGeneration();
    }

    /**
     * Runs (or resumes) the search up to {@code settings.generations()}; returns the generations run in this
     * session.
     */
    public int run() {
        int last = lastCommittedGeneration(run);
        run.candidates().discardAfter(last);
        run.generations().discardAfter(last);
        run.proposals().discardAfter(last);
        long start = System.nanoTime();
        ISeq<Phenotype<IntegerGene, C>> population;
        int ran = 0;
        if (last >= 0) {
            ledger.restore(run.candidates().read());
            if (proposer != null) {
                proposer.restore(run.proposals().read());
            }
            population = restorePopulation(last);
            run.progress(String.format(Locale.ROOT, "resuming after generation %d: %d candidates known", last,
                    ledger.rows().size()));
        } else {
            Evolution.Generation<C> initial = evolution.initial(random("initial", 0));
            population = initial.population();
            ran++;
            finish(0, initial, start, start, ran);
        }
        for (int generation = Math.max(1, last + 1); generation <= settings.generations(); generation++) {
            long genStart = System.nanoTime();
            List<Architecture> proposals = proposer != null && proposer.active()
                    ? proposer.propose(generation, llmSlots(), ledger, objective) : List.of();
            Evolution.Generation<C> next = evolution.next(population, generation, random("generation", generation),
                    proposals);
            population = next.population();
            ran++;
            finish(generation, next, start, genStart, ran);
        }
        return ran;
    }

    private ISeq<Phenotype<IntegerGene, C>> restorePopulation(int generation) {
        List<int[]> genomes = new ArrayList<>();
        List<Long> born = new ArrayList<>();
        List<PopulationMember> stored = run.population().read(generation);
        if (stored.stream().anyMatch(m -> m.genes() == null)) {
            run.progress("population of generation " + generation + " was stored without genotypes (an older "
                    + "version): latent genes restart at 0, so this resume may differ from an uninterrupted run");
        }
        for (PopulationMember member : stored) {
            if (member.genes() == null) {
                genomes.add(codec.encode(ArchitectureJson.decode(member.architecture())));
                born.add(member.born());
                continue;
            }
            int[] genes;
            try {
                genes = codec.parse(member.genes());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(run.population().location() + " generation " + generation
                        + ", position " + member.position() + ": genes: " + e.getMessage()
                        + " (the run was made with another search space)", e);
            }
            if (!CandidateLedger.candidateId(codec.decode(genes)).equals(member.candidateId())) {
                throw new IllegalArgumentException(run.population().location() + " generation " + generation
                        + ", position " + member.position() + ": its genes do not decode to candidate "
                        + member.candidateId() + " (the run was made with another search space)");
            }
            genomes.add(genes);
            born.add(member.born());
        }
        return evolution.phenotypes(genomes, born);
    }

    /** The offspring of a generation that come from the LLM: its share, at least one. */
    private int llmSlots() {
        double fraction = proposer.settings().fraction();
        return fraction <= 0 ? 0 : Math.max(1, (int) Math.round(fraction * evolution.offspringPerGeneration()));
    }

    /** Commits the generation (candidates, proposals, summary, then the population) and prints its line. */
    private void finish(int generation, Evolution.Generation<C> result, long searchStart, long genStart, int ran) {
        double scoring = ledger.scoringSeconds();
        if (proposer != null) {
            proposer.commit(generation, ledger);
        }
        ledger.commit(generation);
        List<CandidateRow> scored = ledger.feasibleScored();
        Double best = scored.stream().mapToDouble(CandidateRow::map50).boxed().max(Double::compare).orElse(null);
        Double hypervolume = objective.hypervolume(scored);
        double seconds = (System.nanoTime() - genStart) / 1e9;
        GenerationSummary summary = new GenerationSummary(generation, settings.mode().text(), result.scored(),
                result.stats().attempts(), result.stats().duplicates(), result.stats().overBudget(),
                result.stats().randomFills(), best, hypervolume, seconds);
        run.generations().commit(generation, List.of(summary));
        List<PopulationMember> members = new ArrayList<>();
        for (Phenotype<IntegerGene, C> p : result.population()) {
            int[] genes = codec.genes(p.genotype());
            Architecture architecture = codec.decode(genes);
            CandidateRow row = ledger.row(architecture);
            members.add(new PopulationMember(members.size(), CandidateLedger.candidateId(architecture),
                    ArchitectureJson.encode(architecture), row == null || !row.evaluated() ? -1 : row.map50(),
                    p.generation(), GeneCodec.text(genes)));
        }
        run.population().commit(generation, members);
        report(summary, scoring, searchStart, ran);
    }

    private SplittableRandom random(String purpose, int generation) {
        return new SplittableRandom(Seeds.derive(seed, purpose, generation));
    }

    private void report(GenerationSummary summary, double scoring, long searchStart, int ran) {
        int generation = summary.generation();
        List<CandidateRow> generationRows = ledger.rows().stream().filter(r -> r.generation() == generation).toList();
        long feasible = generationRows.stream().filter(CandidateRow::feasible).count();
        List<CandidateRow> best = objective.best(ledger.feasibleScored(), 1).stream().sorted(SearchObjective.BY_MAP)
                .limit(1).toList();
        double elapsed = (System.nanoTime() - searchStart) / 1e9;
        double eta = ran == 0 ? 0 : elapsed / ran * (settings.generations() - generation);
        run.progress(String.format(Locale.ROOT,
                "generation %d/%d  scored %d  feasible %d/%d  duplicates %.0f %% of %d tries%s  best val mAP@0.5 %s"
                        + "  %s%s  %.1fs (scoring %.1fs)  elapsed %s  eta %s",
                generation, settings.generations(), summary.scored(), feasible, generationRows.size(),
                100 * summary.duplicateRate(), summary.attempts(),
                summary.randomFills() > 0 ? ", " + summary.randomFills() + " random fill(s)" : "",
                best.isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f", best.get(0).map50()),
                best.isEmpty() ? "" : best.get(0).architecture().shortName(),
                summary.hypervolume() == null ? "" : String.format(Locale.ROOT, "  hypervolume %.5g",
                        summary.hypervolume()),
                summary.seconds(), scoring, DetectorTrainer.duration(elapsed), DetectorTrainer.duration(eta)));
    }
}
