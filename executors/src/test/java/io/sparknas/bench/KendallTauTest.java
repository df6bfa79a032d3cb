package io.sparknas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Kendall τ-b against values counted by hand, pair by pair (C concordant, D discordant, T tied). */
class KendallTauTest {

    private static final double EPS = 1e-12;

    @Test
    void sameOrderIsOneAndReversedOrderIsMinusOne() {
        double[] x = {1, 2, 3, 4};
        assertEquals(1.0, KendallTau.tauB(x, new double[] {10, 20, 30, 40}), EPS);
        assertEquals(-1.0, KendallTau.tauB(x, new double[] {0.4, 0.3, 0.2, 0.1}), EPS);
    }

    @Test
    void withoutTiesItIsConcordantMinusDiscordantOverPairs() {
        // y = 3 1 2 5 4: discordant pairs (1,2) (1,3) (4,5), the other 7 of 10 concordant: (7 - 3) / 10.
        assertEquals(0.4, KendallTau.tauB(new double[] {1, 2, 3, 4, 5}, new double[] {3, 1, 2, 5, 4}), EPS);
    }

    @Test
    void aTieInEitherListDropsThePairFromThatListsCount() {
        // x 1 2 2 3, y 1 3 2 3: pair (2,3) tied in x, pair (2,4) tied in y, the other 4 concordant:
        // 4 / sqrt(5 * 5).
        assertEquals(0.8, KendallTau.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 3}), EPS);
        // mAPs with zeros: x 0 0 .1 .3, y .2 .1 .1 .4: (1,2) tied in x, (2,3) tied in y, (1,3) discordant,
        // 3 concordant: (3 - 1) / sqrt(5 * 5).
        assertEquals(0.4, KendallTau.tauB(new double[] {0, 0, 0.1, 0.3}, new double[] {0.2, 0.1, 0.1, 0.4}), EPS);
        // x 1 1 1 2, y 1 2 3 4: three pairs tied in x only, three concordant: 3 / sqrt(3 * 6) = 1 / sqrt(2).
        assertEquals(1 / Math.sqrt(2), KendallTau.tauB(new double[] {1, 1, 1, 2}, new double[] {1, 2, 3, 4}), EPS);
    }

    @Test
    void aConstantListHasNoRankCorrelation() {
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {0, 0, 0}, new double[] {1, 2, 3})));
    }

    @Test
    void unpairedListsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> KendallTau.tauB(new double[] {1, 2}, new double[] {1}));
    }
}
