package io.sparknas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneCodecTest {

    private final SearchSpace space = TestSpaces.standard();
    private final GeneCodec codec = new GeneCodec(space);

    @Test
    void layoutHasOneGenePerChoice() {
        // resolution, width, then per stage a depth gene and 4 genes per block slot (1 + 3 + 3 + 4 + 3 slots)
        assertEquals(2 + 5 + 4 * 14, codec.length());
        assertEquals(12, codec.cardinality(0));
        assertEquals(9, codec.cardinality(1));
    }

    @Test
    void encodeThenDecodeIsIdentity() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            Architecture architecture = space.sample(random);
            int[] genes = codec.encode(architecture);
            assertEquals(architecture, codec.decode(genes));
            assertEquals(architecture, codec.decode(codec.genotype(architecture)));
        }
    }

    @Test
    void everyRandomGeneVectorDecodesToAContainedArchitecture() {
        SplittableRandom random = new SplittableRandom(5);
        Set<Integer> resolutions = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            int[] genes = randomGenes(random);
            Architecture architecture = codec.decode(genes);
            assertTrue(space.check(architecture).contained(), () -> space.check(architecture).reasons().toString());
            resolutions.add(architecture.resolution());
            assertEquals(architecture, codec.decode(codec.genes(codec.genotype(genes))), "the genotype keeps them");
            assertArrayEquals(genes, codec.parse(GeneCodec.text(genes)), "and so does their stored text");
        }
        assertEquals(Set.copyOf(space.resolutions()), resolutions, "every resolution is reachable, none beyond");
    }

    @Test
    void latentGenesChangeNothingAndLiveGenesChangeTheArchitecture() {
        SplittableRandom random = new SplittableRandom(6);
        int latentSeen = 0;
        for (int i = 0; i < 300; i++) {
            int[] genes = randomGenes(random);
            Architecture architecture = codec.decode(genes);
            boolean[] live = codec.live(genes);
            for (int g = 0; g < genes.length; g++) {
                for (int v = 0; v < codec.cardinality(g); v++) {
                    if (v == genes[g]) {
                        continue;
                    }
                    int[] changed = genes.clone();
                    changed[g] = v;
                    if (live[g]) {
                        assertNotEquals(architecture, codec.decode(changed), "live gene " + g + " changes it");
                    } else {
                        latentSeen++;
                        assertEquals(architecture, codec.decode(changed), "latent gene " + g + " changes nothing");
                    }
                }
            }
        }
        assertTrue(latentSeen > 1000, "latent genes were exercised: " + latentSeen);
    }

    @Test
    void unreadableStoredGenesAreRejectedNamingTheGene() {
        int[] genes = codec.encode(space.smallest());
        String text = GeneCodec.text(genes);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> codec.parse(text.replaceFirst("^\\d+", "x")));
        assertTrue(bad.getMessage().contains("gene 0"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.parse(text + ",1"));
    }

    private int[] randomGenes(SplittableRandom random) {
        int[] genes = new int[codec.length()];
        for (int g = 0; g < genes.length; g++) {
            genes[g] = random.nextInt(codec.cardinality(g));
        }
        return genes;
    }

    @Test
    void outOfRangeGenesAndForeignArchitecturesAreRejected() {
        int[] genes = codec.encode(space.smallest());
        genes[0] = 12;
        assertThrows(IllegalArgumentException.class, () -> codec.decode(genes));
        Architecture foreign = new Architecture(100, 0.5, List.of());
        assertThrows(IllegalArgumentException.class, () -> codec.encode(foreign));
        assertArrayEquals(codec.encode(space.largest()), codec.encode(codec.decode(codec.encode(space.largest()))));
    }
}
