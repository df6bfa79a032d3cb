package io.sparknas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rank benchmark's arguments ({@code --adapt}, {@code --adapt-scratch}, {@code --searchers}): parsed, defaulted, refused by name. */
class AdaptationSettingTest {

    @Test
    void stepsRateAndSeedAreReadAndDefaulted() {
        assertEquals(new SupernetRankBenchmark.Adaptation(false, 128, 0.001, 9),
                SupernetRankBenchmark.Adaptation.parse("128", 9));
        assertEquals(new SupernetRankBenchmark.Adaptation(true, 256, 0.004, 2),
                SupernetRankBenchmark.Adaptation.parse("scratch:256@0.004,seed=2", 9));
    }

    @Test
    void aMalformedSettingNamesItsOption() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SupernetRankBenchmark.Adaptation.parse("scratch:256@x", 1));
        assertTrue(bad.getMessage().startsWith("--adapt-scratch 256@x"), bad.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> SupernetRankBenchmark.Adaptation.parse("64,init=2", 1));
        assertTrue(extra.getMessage().contains("--adapt") && extra.getMessage().contains(",seed=N"),
                extra.getMessage());
    }

    @Test
    void searcherOrderKeepsTheGivenOrderAndRefusesUnknownNames() {
        assertEquals(java.util.List.of("random", "ga"), SupernetRankBenchmark.searcherOrder("random,ga"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SupernetRankBenchmark.searcherOrder("ga,evolution"));
        assertTrue(bad.getMessage().contains("'evolution'"), bad.getMessage());
    }
}
