package io.sparknas.search;

import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Draws architectures of the space that fit the target (by the cost model, before any evaluation), rejecting the
 * others: for the initial population, random search, and for repairing offspring that do not fit.
 */
public final class FeasibleSampler {

    private final SearchSpace space;
    private final CandidateLedger ledger;
    private final int attempts;

    public FeasibleSampler(SearchSpace space, CandidateLedger ledger, int attempts) {
        this.space = space;
        this.ledger = ledger;
        this.attempts = attempts;
    }

    /** One feasible architecture accepted by {@code wanted}, drawn from {@code random}. */
    public Architecture draw(RandomGenerator random, Predicate<Architecture> wanted) {
        for (int i = 0; i < attempts; i++) {
            Architecture candidate = space.sample(random);
            if (wanted.test(candidate) && ledger.costs(candidate).feasible()) {
                return candidate;
            }
        }
        throw new IllegalStateException("no architecture that fits the target in " + attempts + " random draws "
                + "(search.sample-attempts): the budgets are too tight for this (resolution, width) cell");
    }

    /** {@code count} distinct feasible architectures not seen before. */
    public List<Architecture> drawNew(RandomGenerator random, int count) {
        List<Architecture> drawn = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drawn.add(draw(random, a -> !drawn.contains(a) && !ledger.isKnown(a)));
        }
        return drawn;
    }
}
