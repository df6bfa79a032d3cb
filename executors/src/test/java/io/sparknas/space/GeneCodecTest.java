package io.sparknas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.engine.Codec;
import io.jenetics.util.RandomRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGeneratorFactory;
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
    void everyRandomJeneticsGenotypeDecodesToAContainedArchitecture() {
        Codec<Architecture, IntegerGene> jenetics = codec.jenetics();
        Set<Integer> resolutions = new HashSet<>();
        RandomRegistry.with(RandomGeneratorFactory.of("L64X256MixRandom").create(5), r -> {
            for (int i = 0; i < 2_000; i++) {
                Genotype<IntegerGene> genotype = jenetics.encoding().newInstance();
                Architecture architecture = jenetics.decode(genotype);
                assertTrue(space.check(architecture).contained(), () -> space.check(architecture).reasons().toString());
                resolutions.add(architecture.resolution());
            }
            return null;
        });
        assertEquals(Set.copyOf(space.resolutions()), resolutions, "every resolution is reachable, none beyond");
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
