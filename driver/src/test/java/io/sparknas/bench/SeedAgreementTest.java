package io.sparknas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedAgreementTest {

    @Test
    void twoSeedsInTheSameOrderAgreeFullyAndTheirStandardDeviationIsPerArchitecture() {
        SupernetRankBenchmark.SeedAgreement agreement = SupernetRankBenchmark.SeedAgreement.of(List.of(
                new double[] {0.30, 0.32}, new double[] {0.40, 0.44}, new double[] {0.50, 0.50}), 7);

        assertEquals(1.0, agreement.tauB(), 1e-12);
        double std01 = Math.sqrt(2 * 0.01 * 0.01);
        double std02 = Math.sqrt(2 * 0.02 * 0.02);
        assertEquals((std01 + std02 + 0) / 3, agreement.meanStd(), 1e-12);
        assertEquals(std02, agreement.maxStd(), 1e-12);
    }

    @Test
    void seedsThatReverseTheOrderDisagreeFully() {
        SupernetRankBenchmark.SeedAgreement agreement = SupernetRankBenchmark.SeedAgreement.of(List.of(
                new double[] {0.3, 0.6}, new double[] {0.4, 0.5}, new double[] {0.5, 0.4}, new double[] {0.6, 0.3}),
                7);

        assertEquals(-1.0, agreement.tauB(), 1e-12);
    }

    @Test
    void oneSeedGivesNoAgreement() {
        assertNull(SupernetRankBenchmark.SeedAgreement.of(List.of(new double[] {0.3}, new double[] {0.4}), 7));
    }
}
