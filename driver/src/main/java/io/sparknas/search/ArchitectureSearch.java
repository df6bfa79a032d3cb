package io.sparknas.search;

import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.EvolutionStart;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.sparknas.config.SearchMode;
import io.sparknas.config.SearchSettings;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.PopulationMember;
import io.sparknas.run.Proposer;
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
 * The search loop: an initial population of random feasible candidates (generation 0), then one generation at a
 * time, each scored as one Spark job and committed to Parquet before the next starts. In {@code ga} mode a
 * Jenetics engine breeds each generation (tournament selection, elitism, uniform crossover, mutation, the
 * feasibility constraint), and when an LLM endpoint is configured, a share of each generation's offspring comes from
 * the {@link LlmProposer} instead (asked before the generation is bred); in {@code random} mode each generation is fresh random feasible candidates, the same
 * number of evaluations, for comparison.
 *
 * <p>Every random choice of generation N comes from a generator seeded by (run seed, N), and the Jenetics engine
 * runs on the calling thread, so a run resumed after generation N (population and known candidates read back from
 * Parquet) continues exactly as the uninterrupted run would have.
 */
public final class ArchitectureSearch<C extends Comparable<? super C>> {

    private final Run run;
    private final SearchSettings settings;
    private final SearchSpace space;
    private final CandidateLedger ledger;
    private final long seed;
    private final GeneCodec codec;
    private final FeasibleSampler sampler;
    private final FeasibilityConstraint<C> constraint;
    private final SearchObjective<C> objective;
    private final LlmProposer proposer;
    private final ProposalInjector<C> injector;
    private int generationInProgress;

    /**
     * @param proposer the LLM proposer mixed into the evolution (ga mode), or null for GA only
     */
    public ArchitectureSearch(Run run, SearchSettings settings, SearchObjective<C> objective, SearchSpace space,
                              CandidateLedger ledger, long seed, LlmProposer proposer) {
        this.objective = objective;
        this.proposer = proposer;
        this.run = run;
        this.settings = settings;
        this.space = space;
        this.ledger = ledger;
        this.seed = seed;
        this.codec = new GeneCodec(space);
        this.sampler = new FeasibleSampler(space, ledger, settings.sampleAttempts());
        this.constraint = new FeasibilityConstraint<>(codec, ledger, sampler);
        this.injector = new ProposalInjector<>(codec);
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
        run.proposals().discardAfter(last);
        long start = System.nanoTime();
        ISeq<Phenotype<IntegerGene, C>> population;
        if (last >= 0) {
            ledger.restore(run.candidates().read());
            if (proposer != null) {
                proposer.restore(run.proposals().read());
            }
            population = restorePopulation(last);
            run.progress(String.format(Locale.ROOT, "resuming after generation %d: %d candidates known", last,
                    ledger.rows().size()));
        } else {
            population = initialPopulation();
        }
        Engine<IntegerGene, C> engine = settings.mode() == SearchMode.GA ? engine() : null;
        int ran = last < 0 ? 1 : 0;
        for (int generation = last + 1; generation <= settings.generations(); generation++) {
            if (generation == 0) {
                continue;
            }
            long genStart = System.nanoTime();
            generationInProgress = generation;
            constraint.generation(generation);
            int evaluated;
            if (engine != null) {
                if (proposer != null && proposer.active()) {
                    injector.offer(proposer.propose(generation, llmSlots(engine), ledger, objective));
                }
                EvolutionStart<IntegerGene, C> from = EvolutionStart.of(population, generation);
                EvolutionResult<IntegerGene, C> result = RandomRegistry.with(random("generation", generation),
                        r -> engine.evolve(from));
                population = result.population();
                evaluated = (int) ledger.pending().stream().filter(CandidateRow::evaluated).count();
            } else {
                evaluated = ledger.evaluate(sampler.drawNew(random("random", generation), settings.population()),
                        Proposer.RANDOM, generation);
                population = bestAsPopulation();
            }
            double scoring = ledger.scoringSeconds();
            commit(generation, population);
            ran++;
            report(generation, evaluated, scoring, start, genStart, ran);
        }
        return ran;
    }

    private ISeq<Phenotype<IntegerGene, C>> initialPopulation() {
        long genStart = System.nanoTime();
        boolean ga = settings.mode() == SearchMode.GA;
        List<Architecture> initial = sampler.drawNew(random(ga ? "initial" : "random", 0), settings.population());
        int evaluated = ledger.evaluate(initial, ga ? Proposer.SEED : Proposer.RANDOM, 0);
        ISeq<Phenotype<IntegerGene, C>> population = ga
                ? initial.stream().map(a -> Phenotype.of(codec.genotype(a), 0, fitness(a))).collect(ISeq.toISeq())
                : bestAsPopulation();
        double scoring = ledger.scoringSeconds();
        commit(0, population);
        report(0, evaluated, scoring, genStart, genStart, 1);
        return population;
    }

    /** Random mode's population (what resume restarts from): the best candidates so far by mAP. */
    private ISeq<Phenotype<IntegerGene, C>> bestAsPopulation() {
        List<CandidateRow> rows = new ArrayList<>(ledger.rows());
        rows.addAll(ledger.pending());
        return rows.stream().filter(r -> r.feasible() && r.evaluated()).sorted(SearchObjective.BY_MAP)
                .limit(settings.population())
                .map(r -> Phenotype.of(codec.genotype(r.architecture()), r.generation(), objective.fitness(r)))
                .collect(ISeq.toISeq());
    }

    private C fitness(Architecture architecture) {
        CandidateRow row = ledger.row(architecture);
        return row != null && row.feasible() && row.evaluated() ? objective.fitness(row) : objective.worst();
    }

    private ISeq<Phenotype<IntegerGene, C>> restorePopulation(int generation) {
        List<Phenotype<IntegerGene, C>> members = new ArrayList<>();
        for (PopulationMember member : run.population().read(generation)) {
            Architecture architecture = ArchitectureJson.decode(member.architecture());
            members.add(Phenotype.of(codec.genotype(architecture), member.born(), fitness(architecture)));
        }
        return ISeq.of(members);
    }

    /** The offspring of a generation that come from the LLM: its share of the engine's offspring, at least one. */
    private int llmSlots(Engine<IntegerGene, C> engine) {
        double fraction = proposer.settings().fraction();
        return fraction <= 0 ? 0 : Math.max(1, (int) Math.round(fraction * engine.offspringSize()));
    }

    private void commit(int generation, ISeq<Phenotype<IntegerGene, C>> population) {
        if (proposer != null) {
            proposer.commit(generation, ledger);
        }
        ledger.commit(generation);
        List<PopulationMember> members = new ArrayList<>();
        for (Phenotype<IntegerGene, C> p : population) {
            Architecture architecture = codec.decode(p.genotype());
            CandidateRow row = ledger.row(architecture);
            members.add(new PopulationMember(members.size(), CandidateLedger.candidateId(architecture),
                    ArchitectureJson.encode(architecture), row == null || !row.evaluated() ? -1 : row.map50(),
                    p.generation()));
        }
        run.population().commit(generation, members);
    }

    private Engine<IntegerGene, C> engine() {
        io.jenetics.engine.Evaluator<IntegerGene, C> evaluator = population -> {
            List<Architecture> fresh = new ArrayList<>();
            for (Phenotype<IntegerGene, C> p : population) {
                if (!p.isEvaluated()) {
                    fresh.add(codec.decode(p.genotype()));
                }
            }
            ledger.evaluate(fresh, a -> injector.injected(a) ? Proposer.LLM : Proposer.GA, generationInProgress);
            return population.stream()
                    .map(p -> p.isEvaluated() ? p : p.withFitness(fitness(codec.decode(p.genotype()))))
                    .collect(ISeq.toISeq());
        };
        Engine.Builder<IntegerGene, C> builder = new Engine.Builder<>(evaluator, codec.jenetics().encoding())
                .populationSize(settings.population())
                .offspringFraction(settings.offspringFraction())
                .alterers(new UniformCrossover<>(settings.crossoverRate()), new Mutator<>(settings.mutationRate()),
                        injector)
                .constraint(constraint)
                .executor(Runnable::run);
        return objective.select(builder, settings)
                .build();
    }

    private SplittableRandom random(String purpose, int generation) {
        return new SplittableRandom(Seeds.derive(seed, purpose, generation));
    }

    private void report(int generation, int evaluated, double scoring, long searchStart, long genStart, int ran) {
        List<CandidateRow> generationRows = ledger.rows().stream().filter(r -> r.generation() == generation).toList();
        long feasible = generationRows.stream().filter(CandidateRow::feasible).count();
        List<CandidateRow> best = objective.best(ledger.feasibleScored(), 1).stream().sorted(SearchObjective.BY_MAP)
                .limit(1).toList();
        double elapsed = (System.nanoTime() - searchStart) / 1e9;
        double eta = ran == 0 ? 0 : elapsed / ran * (settings.generations() - generation);
        run.progress(String.format(Locale.ROOT,
                "generation %d/%d  evaluated %d  feasible %d/%d  best val mAP@0.5 %s  %s  %.1fs (scoring %.1fs)  elapsed %s"
                        + "  eta %s",
                generation, settings.generations(), evaluated, feasible, generationRows.size(),
                best.isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f", best.get(0).map50()),
                best.isEmpty() ? "" : best.get(0).architecture().shortName(), (System.nanoTime() - genStart) / 1e9, scoring,
                DetectorTrainer.duration(elapsed), DetectorTrainer.duration(eta)));
    }
}
