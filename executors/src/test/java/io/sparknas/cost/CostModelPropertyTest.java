package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties that must hold for every architecture of the space. */
class CostModelPropertyTest {

    private final SearchSpace space = TestSpaces.standard();
    private final CostModel model = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT);

    @Test
    void macsAndParamsGrowWithWidth() {
        SplittableRandom random = new SplittableRandom(21);
        for (int i = 0; i < 500; i++) {
            Architecture a = space.sample(random);
            int w = space.widths().indexOf(a.width());
            if (w == space.widths().size() - 1) {
                continue;
            }
            Architecture wider = withoutSkips(a).withInput(a.resolution(), space.widths().get(w + 1));
            Costs narrow = model.evaluate(withoutSkips(a));
            Costs wide = model.evaluate(wider);
            assertTrue(wide.macs() >= narrow.macs(), () -> a.shortName());
            assertTrue(wide.params() >= narrow.params(), () -> a.shortName());
            assertTrue(wide.peakLayerByLayer() >= narrow.peakLayerByLayer(), () -> a.shortName());
        }
    }

    @Test
    void macsAndParamsGrowStrictlyWithDepth() {
        SplittableRandom random = new SplittableRandom(22);
        int checked = 0;
        for (int i = 0; i < 500; i++) {
            Architecture a = space.sample(random);
            int s = random.nextInt(space.stages().size());
            List<Block> blocks = a.stages().get(s);
            if (blocks.size() == space.stages().get(s).maxDepth()) {
                continue;
            }
            List<List<Block>> stages = new ArrayList<>(a.stages());
            List<Block> deeper = new ArrayList<>(blocks);
            Block last = blocks.get(blocks.size() - 1);
            deeper.add(new Block(last.type(), last.kernel(), last.expand(), false));
            stages.set(s, deeper);
            Architecture b = new Architecture(a.resolution(), a.width(), stages);
            assertTrue(space.check(b).contained());
            assertTrue(model.evaluate(b).macs() > model.evaluate(a).macs(), () -> a.shortName());
            assertTrue(model.evaluate(b).params() > model.evaluate(a).params(), () -> a.shortName());
            checked++;
        }
        assertTrue(checked > 100);
    }

    @Test
    void macsGrowWithResolutionAndParamsDoNot() {
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 300; i++) {
            Architecture a = space.sample(random);
            int r = space.resolutions().indexOf(a.resolution());
            if (r == space.resolutions().size() - 1) {
                continue;
            }
            Architecture larger = a.withInput(space.resolutions().get(r + 1), a.width());
            assertTrue(model.evaluate(larger).macs() > model.evaluate(a).macs());
            assertEquals(model.evaluate(larger).params(), model.evaluate(a).params());
        }
    }

    @Test
    void inPlaceNeverExceedsLayerByLayerAndPatchFiguresAreSane() {
        SplittableRandom random = new SplittableRandom(24);
        int patchHelped = 0;
        for (int i = 0; i < 3_000; i++) {
            Architecture a = space.sample(random);
            Costs costs = model.evaluate(a);
            assertTrue(costs.peakInPlace() <= costs.peakLayerByLayer(), () -> a.shortName());
            assertTrue(costs.peakInPlace() > 0);
            assertTrue(costs.patch().extraMacs() >= 0);
            assertTrue(costs.patch().peak() > 0);
            if (costs.patch().peak() < costs.peakInPlace()) {
                patchHelped++;
            }
        }
        assertTrue(patchHelped > 1_000, "patch-based inference lowers the peak of most sampled networks: " + patchHelped);
    }

    @Test
    void totalsEqualTheSumOfTheLayerTable() {
        SplittableRandom random = new SplittableRandom(25);
        for (int i = 0; i < 100; i++) {
            Architecture a = space.sample(random);
            LayerGraph graph = model.lower(a);
            List<LayerCost> table = model.layerTable(graph);
            Costs costs = model.evaluate(graph);
            assertEquals(costs.macs(), table.stream().mapToLong(LayerCost::macs).sum());
            assertEquals(costs.params(), table.stream().mapToLong(LayerCost::params).sum());
            assertEquals(costs.flash().modelBytes(), table.stream().mapToLong(LayerCost::weightBytes).sum());
            assertEquals(costs.peakLayerByLayer(), table.stream().mapToLong(LayerCost::sramLayerByLayer).max().orElseThrow());
            assertEquals(costs.peakInPlace(), table.stream().mapToLong(LayerCost::sramInPlace).max().orElseThrow());
            assertEquals(costs.latencyMs(), table.stream().mapToDouble(LayerCost::latencyMs).sum(), 1e-9);
        }
    }

    private static Architecture withoutSkips(Architecture a) {
        List<List<Block>> stages = a.stages().stream()
                .map(blocks -> blocks.stream().map(b -> new Block(b.type(), b.kernel(), b.expand(), false)).toList())
                .toList();
        return new Architecture(a.resolution(), a.width(), stages);
    }
}
