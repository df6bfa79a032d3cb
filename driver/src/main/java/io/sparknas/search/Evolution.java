package io.sparknas.search;

import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.sparknas.config.SearchSettings;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.Proposer;
import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The generations of a search, apart from where they are stored: the initial sample, then per generation the
 * offspring ({@link Breeding} with the {@link Searcher}'s recipe, after the LLM's proposals if any), one scoring call
 * for all of them ({@link CandidateLedger#evaluate}), and the searcher's survivors. Every random choice of a
 * generation comes from the generator it is given (Jenetics' selectors through {@link RandomRegistry}), so the same
 * population, known candidates and generator give the same generation. {@link ArchitectureSearch} runs it against
 * the run folder; the search benchmark runs it against a known objective.
 *
 * @param <C> the fitness type
 */
public final class Evolution<C extends Comparable<? super C>> {

    /** A generation's result: the population after it, how many new candidates were scored, what breeding saw. */
    public record Generation<C extends Comparable<? super C>>(ISeq<Phenotype<IntegerGene, C>> population, int scored,
                                                       Breeding.Stats stats) {
    }

    private final SearchSettings settings;
    private final SearchObjective<C> objective;
    private final GeneCodec codec;
    private final CandidateLedger ledger;
    private final FeasibleSampler sampler;
    private final Searcher<C> searcher;
    private final Breeding breeding;

    public Evolution(SearchSettings settings, SearchObjective<C> objective, GeneCodec codec, CandidateLedger ledger) {
        this.settings = settings;
        this.objective = objective;
        this.codec = codec;
        this.ledger = ledger;
        this.sampler = new FeasibleSampler(codec.space(), ledger, settings.sampleAttempts());
        this.searcher = Searcher.of(settings, objective, codec);
        this.breeding = new Breeding(codec, ledger, sampler, settings.breedingAttempts());
    }

    /** New candidates scored per generation after the initial sample, the same for every searcher. */
    public int offspringPerGeneration() {
        return offspringPerGeneration(settings);
    }

    /** {@code offspring-fraction} of the population, at least one. */
    public static int offspringPerGeneration(SearchSettings settings) {
        return Math.max(1, (int) Math.round(settings.offspringFraction() * settings.population()));
    }

    /** Generation 0: {@code population} random new candidates that fit, the same sample for every searcher. */
    public Generation<C> initial(RandomGenerator random) {
        List<Architecture> drawn = sampler.drawNew(random, settings.population());
        List<int[]> genomes = new ArrayList<>();
        for (Architecture architecture : drawn) {
            genomes.add(codec.encode(architecture, random));
        }
        int scored = ledger.evaluate(drawn, Proposer.SEED, 0);
        return new Generation<>(phenotypes(genomes, 0), scored, new Breeding.Stats(drawn.size(), 0, 0, 0));
    }

    /**
     * Generation {@code generation} from {@code population}: the {@code proposals} (new feasible architectures from
     * the LLM, at most a generation's offspring) first, the rest bred by the searcher; all scored in one call.
     */
    public Generation<C> next(ISeq<Phenotype<IntegerGene, C>> population, int generation, RandomGenerator random,
                       List<Architecture> proposals) {
        return RandomRegistry.with(random, r -> {
            int count = offspringPerGeneration();
            List<int[]> genomes = new ArrayList<>();
            Set<String> proposed = new HashSet<>();
            for (Architecture proposal : proposals.subList(0, Math.min(count, proposals.size()))) {
                if (proposed.add(CandidateLedger.candidateId(proposal))) {
                    genomes.add(codec.encode(proposal, random));
                }
            }
            Breeding.Offspring bred = breeding.breed(count - genomes.size(), () -> searcher.child(population, random),
                    proposed, searcher.proposer(), generation, random);
            genomes.addAll(bred.genomes());
            List<Architecture> architectures = genomes.stream().map(codec::decode).toList();
            int scored = ledger.evaluate(architectures, a -> {
                String id = CandidateLedger.candidateId(a);
                return proposed.contains(id) ? Proposer.LLM
                        : bred.randomIds().contains(id) ? Proposer.RANDOM : searcher.proposer();
            }, generation);
            ISeq<Phenotype<IntegerGene, C>> offspring = phenotypes(genomes, generation);
            return new Generation<>(searcher.survivors(population, offspring, settings.population()), scored,
                    bred.stats());
        });
    }

    /** Population members for stored genomes, with the fitness of their candidates as the ledger knows them. */
    public ISeq<Phenotype<IntegerGene, C>> phenotypes(List<int[]> genomes, List<Long> born) {
        List<Phenotype<IntegerGene, C>> members = new ArrayList<>(genomes.size());
        for (int i = 0; i < genomes.size(); i++) {
            members.add(Phenotype.of(codec.genotype(genomes.get(i)), born.get(i), fitness(codec.decode(genomes.get(i)))));
        }
        return ISeq.of(members);
    }

    private ISeq<Phenotype<IntegerGene, C>> phenotypes(List<int[]> genomes, long born) {
        return phenotypes(genomes, genomes.stream().map(g -> born).toList());
    }

    private C fitness(Architecture architecture) {
        CandidateRow row = ledger.row(architecture);
        return row != null && row.feasible() && row.evaluated() ? objective.fitness(row) : objective.worst();
    }
}
