package io.sparknas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    private final SearchSpace space = TestSpaces.standard();

    @Test
    void samplesAreContainedAndSeedDeterministic() {
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) {
            Architecture sampled = space.sample(a);
            assertTrue(space.check(sampled).contained(), () -> space.check(sampled).reasons().toString());
            assertEquals(sampled, space.sample(b));
        }
    }

    @Test
    void checkNamesEveryOffendingField() {
        Architecture good = space.smallest();
        List<List<Block>> stages = new ArrayList<>(good.stages());
        stages.set(1, List.of(new Block(ConvType.MBCONV, 4, 5, true)));
        SpaceCheck check = space.check(new Architecture(100, 0.25, stages));
        assertFalse(check.contained());
        assertEquals(List.of(
                "resolution: 100 is not one of [48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224]",
                "width: 0.25 is not one of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]",
                "stages[1][0].kernel: 4 is not one of [3, 5, 7]",
                "stages[1][0].expand: 5 is not one of [3, 4, 6]",
                "stages[1][0].skip: not allowed here (stride 2, 8 -> 8 channels)"), check.reasons());
    }

    @Test
    void repairAlwaysYieldsAContainedArchitectureAndKeepsContainedOnesUnchanged() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2_000; i++) {
            Architecture broken = perturb(space.sample(random), random);
            Architecture repaired = space.repair(broken);
            assertTrue(space.check(repaired).contained(), () -> broken + " -> " + space.check(repaired).reasons());
            assertEquals(repaired, space.repair(repaired), "repair is idempotent");
        }
        for (int i = 0; i < 500; i++) {
            Architecture contained = space.sample(random);
            assertEquals(contained, space.repair(contained));
        }
    }

    @Test
    void repairSnapsToTheNearestValue() {
        Architecture broken = new Architecture(100, 0.33, List.of(List.of(new Block(ConvType.MBCONV, 4, 5, false))));
        Architecture repaired = space.repair(broken);
        assertEquals(96, repaired.resolution());
        assertEquals(0.3, repaired.width());
        assertEquals(new Block(ConvType.MBCONV, 3, 4, false), repaired.stages().get(0).get(0));
        assertEquals(5, repaired.stages().size(), "missing stages are filled");
    }

    @Test
    void skipIsAllowedOnlyAtStrideOneWithMatchingChannels() {
        assertFalse(space.skipAllowed(1, 0, 1.0), "first block of a stride-2 stage");
        assertTrue(space.skipAllowed(1, 1, 1.0));
        assertTrue(space.skipAllowed(0, 0, 1.0), "stem 16 -> stage 0 16 at stride 1");
        assertFalse(space.skipAllowed(4, 0, 1.0), "80 -> 96 channels at stride 1");
    }

    @Test
    void channelsFollowMobileNetRounding() {
        assertEquals(8, space.channels(16, 0.2));
        assertEquals(16, space.channels(24, 0.5));
        assertEquals(48, space.channels(96, 0.5));
        assertEquals(32, space.channels(40, 0.8));
        assertEquals(96, space.channels(96, 1.0));
    }

    private Architecture perturb(Architecture architecture, SplittableRandom random) {
        List<List<Block>> stages = new ArrayList<>();
        for (List<Block> blocks : architecture.stages()) {
            List<Block> changed = new ArrayList<>();
            int depth = blocks.size() + random.nextInt(-1, 3);
            for (int b = 0; b < Math.max(0, depth); b++) {
                Block source = blocks.get(Math.min(b, blocks.size() - 1));
                changed.add(new Block(source.type(), source.kernel() + random.nextInt(-2, 3),
                        source.expand() + random.nextInt(-3, 4), random.nextBoolean()));
            }
            stages.add(changed);
        }
        if (random.nextBoolean()) {
            stages.remove(stages.size() - 1);
        }
        return new Architecture(architecture.resolution() + random.nextInt(-20, 21),
                architecture.width() + random.nextDouble(-0.3, 0.3), stages);
    }
}
