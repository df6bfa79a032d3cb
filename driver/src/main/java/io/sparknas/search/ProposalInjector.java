package io.sparknas.search;

import io.jenetics.Alterer;
import io.jenetics.AltererResult;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.MSeq;
import io.jenetics.util.Seq;
import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last alterer of the evolution: puts the generation's accepted LLM proposals in place of as many bred
 * offspring, so the LLM supplies its share of the offspring and the GA the rest, and the proposals pass through
 * the same constraint and the same scoring job as every other offspring. Uses no randomness, so a generation
 * without proposals breeds exactly as a GA-only run would.
 */
final class ProposalInjector<C extends Comparable<? super C>> implements Alterer<IntegerGene, C> {

    private final GeneCodec codec;
    private final Set<String> injected = new HashSet<>();
    private List<Architecture> queued = List.of();

    ProposalInjector(GeneCodec codec) {
        this.codec = codec;
    }

    /** The proposals for the next generation (replacing any not used). */
    void offer(List<Architecture> proposals) {
        queued = List.copyOf(proposals);
        injected.clear();
    }

    /** Whether {@code architecture} entered the current generation as an LLM proposal. */
    boolean injected(Architecture architecture) {
        return injected.contains(CandidateLedger.candidateId(architecture));
    }

    @Override
    public AltererResult<IntegerGene, C> alter(Seq<Phenotype<IntegerGene, C>> population, long generation) {
        if (queued.isEmpty()) {
            return new AltererResult<>(population.asISeq(), 0);
        }
        MSeq<Phenotype<IntegerGene, C>> offspring = MSeq.of(population);
        int count = Math.min(queued.size(), offspring.size());
        for (int i = 0; i < count; i++) {
            Architecture proposal = queued.get(i);
            offspring.set(i, Phenotype.of(codec.genotype(proposal), generation));
            injected.add(CandidateLedger.candidateId(proposal));
        }
        queued = List.of();
        return new AltererResult<>(offspring.toISeq(), count);
    }
}
