package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Data-parallel steps of a plain network: one shard is exactly DL4J's own step (updater, schedule, weight decay,
 * BatchNorm statistics), and more shards add up to a step of the whole batch.
 */
class NetworkShardStepTest {

    private static final SearchSpace SPACE = TestSpaces.standard().narrow(64, 0.3);
    private static final HeadSpec HEAD = SPACE.head();
    private static final DetectionDataset DATA = new SyntheticDetectionSet(new SyntheticSpec(64, 40, 8, 4, 3)).generate();

    private static DetectionBatches batches() {
        DetectionBatches batches = new DetectionBatches(DATA.train(), 64, 64 / HEAD.outputStride(),
                DetectorEvaluator.anchorPairs(HEAD), HEAD.classes(), 16, Augmentation.DEFAULT, true, 3);
        batches.startEpoch(1);
        return batches;
    }

    private static ComputationGraph cnn() {
        return DetectorNetworkBuilder.build(new ArchitectureLowering(SPACE).lower(SPACE.sample(new SplittableRandom(2))),
                HEAD, 7, new Adam(3e-3), 1e-3);
    }

    private static ComputationGraph vit() {
        return VitTeacherBuilder.build(64, HEAD, new TeacherSpec(16, 1, 2, 2), 7, new Adam(3e-3), 1e-3);
    }

    @Test
    void oneShardIsDl4jsOwnStepForAConvolutionalAndATransformerNetwork() {
        for (Supplier<ComputationGraph> build : java.util.List.<Supplier<ComputationGraph>>of(NetworkShardStepTest::cnn,
                NetworkShardStepTest::vit)) {
            ComputationGraph fitted = build.get();
            ComputationGraph sharded = build.get();
            DetectionBatches batches = batches();
            LocalShardedFit oneShard = new LocalShardedFit(1);
            double dl4jLoss = 0;
            double shardLoss = 0;
            for (int step = 0; step < 3; step++) {
                dl4jLoss += BatchFit.IN_PROCESS.step(fitted, batches, 1, step);
                shardLoss += oneShard.step(sharded, batches, 1, step);
            }
            INDArray expected = fitted.params();
            double gap = expected.sub(sharded.params()).amaxNumber().doubleValue();
            double moved = expected.sub(build.get().params()).amaxNumber().doubleValue();
            assertTrue(moved > 1e-3, "three steps moved the weights by " + moved);
            assertEquals(0.0, gap, 1e-5, "same parameters after three steps (moved " + moved + ")");
            assertEquals(dl4jLoss, shardLoss, 1e-4 * dl4jLoss);
            assertEquals(fitted.getIterationCount(), sharded.getIterationCount());
        }
    }

    @Test
    void twoShardsAddUpToAStepOfTheWholeBatch() {
        ComputationGraph whole = vit();
        ComputationGraph halves = vit();
        DetectionBatches batches = batches();
        StepGradients first = NetworkShardStep.gradient(halves, batches, 0, 0, 2);
        StepGradients second = NetworkShardStep.gradient(halves, batches, 0, 1, 2);
        StepGradients all = NetworkShardStep.gradient(whole, batches, 0, 0, 1);
        assertEquals(8, first.images());
        assertEquals(16, all.images());
        INDArray sum = first.sums().get(NetworkShardStep.FLAT).add(second.sums().get(NetworkShardStep.FLAT));
        INDArray expected = all.sums().get(NetworkShardStep.FLAT);
        double scale = expected.amaxNumber().doubleValue();
        assertEquals(0.0, sum.sub(expected).amaxNumber().doubleValue() / scale, 1e-4,
                "no BatchNorm in the ViT: the shards' gradient sums are the batch's");
        assertEquals(all.loss(), first.loss() + second.loss(), 1e-4 * all.loss());

        double loss = new LocalShardedFit(2).step(halves, batches, 1, 0);
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertEquals(1, halves.getIterationCount());
    }
}
