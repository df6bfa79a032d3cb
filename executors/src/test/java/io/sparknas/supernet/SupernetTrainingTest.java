package io.sparknas.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/** Sandwich training of a small supernet on a tiny synthetic set: optimizer, sampler, checkpoint and resume. */
class SupernetTrainingTest {

    private static final SearchSpace SPACE = TestSpaces.standard().narrow(64, 0.3);
    private static final DetectionDataset DATA = new SyntheticDetectionSet(new SyntheticSpec(64, 48, 16, 4, 3)).generate();

    @TempDir
    Path dir;

    private static SupernetSettings settings(int epochs) {
        return new SupernetSettings(epochs, 16, 0, 1, 3e-3, 0.5, 1e-4, false, 2, 0, Augmentation.NONE, 17, WeightSharing.PER_TYPE,
                SupernetSettings.NO_DISTILLATION);
    }

    private static DataSet firstBatch(int side) {
        return new DetectionBatches(DATA.train(), side, side / 16, DetectorEvaluator.anchorPairs(SPACE.head()),
                SPACE.head().classes(), 16, Augmentation.NONE, false, 1).next();
    }

    @Test
    void oneSharedStepEqualsDl4jsOwnStepOnTheExtractedSubnet() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        Architecture architecture = SPACE.sample(new SplittableRandom(4));
        DataSet batch = firstBatch(64);

        ComputationGraph reference = supernet.extract(architecture, 1, new Sgd(0.05));
        reference.fit(batch);

        ComputationGraph subnet = supernet.extract(architecture, 1, new NoOp());
        subnet.setInput(0, batch.getFeatures());
        subnet.setLabel(0, batch.getLabels());
        subnet.computeGradientAndScore();
        Map<String, INDArray> sums = new HashMap<>();
        supernet.accumulateGradient(architecture, subnet, sums);
        new SharedWeightOptimizer(new Sgd(0.05)).step(supernet, sums, 0, 0);

        ComputationGraph stepped = supernet.extract(architecture, 1, new NoOp());
        INDArray expected = reference.params();
        INDArray actual = stepped.params();
        assertNotEquals(0.0, expected.sub(subnet.params()).norm2Number().doubleValue(), "the step moved the weights");
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-4,
                "the shared-slice step equals DL4J's SGD step on the subnet");
    }

    @Test
    void aSharedStepChangesOnlyTheSlicesTheSubnetUsed() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        Architecture small = SPACE.smallest();
        Map<String, INDArray> before = new HashMap<>();
        for (String key : supernet.keys()) {
            before.put(key, supernet.weight(key));
        }
        ComputationGraph subnet = supernet.extract(small, 1, new NoOp());
        DataSet batch = firstBatch(64);
        subnet.setInput(0, batch.getFeatures());
        subnet.setLabel(0, batch.getLabels());
        subnet.computeGradientAndScore();
        Map<String, INDArray> sums = new HashMap<>();
        Map<String, INDArray> used = new HashMap<>();
        supernet.accumulateGradient(small, subnet, sums, used);
        new SharedWeightOptimizer(new Adam(1e-2), 1e-3).step(supernet, sums, used, 0, 0);

        INDArray fullStem = supernet.weight("stem:W");
        INDArray oldStem = before.get("stem:W");
        long usedOut = subnet.getLayer("stem").getParam("W").size(0);
        INDArray usedDiff = fullStem.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, usedOut)).sub(
                oldStem.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, usedOut)));
        assertTrue(usedDiff.amaxNumber().doubleValue() > 0, "used stem channels changed");
        int changedKeys = 0;
        for (String key : supernet.keys()) {
            boolean touched = sums.containsKey(key);
            INDArray diff = supernet.weight(key).sub(before.get(key));
            if (!touched) {
                assertEquals(0.0, diff.amaxNumber().doubleValue(), 0.0, key + " was not used and must not change");
                continue;
            }
            changedKeys++;
            INDArray mask = used.get(key);
            assertEquals(0.0, diff.mul(mask.rsub(1)).amaxNumber().doubleValue(), 0.0,
                    key + ": entries outside the used slice must not change");
        }
        assertTrue(changedKeys > 10, "the step touched the subnet's keys: " + changedKeys);
        assertTrue(changedKeys < supernet.keys().size() / 2, "and not the other conv types' keys");
    }

    @Test
    void sandwichMembersAreLargestSmallestAndSeededRandomOnes() {
        SandwichSampler sampler = new SandwichSampler(TestSpaces.standard(), 2, false, 8, 5);
        List<Architecture> members = sampler.members(3, 7);
        assertEquals(4, members.size());
        assertEquals(TestSpaces.standard().largest(), members.get(0));
        assertEquals(TestSpaces.standard().smallest(), members.get(1));
        assertEquals(members, sampler.members(3, 7), "the same step draws the same subnets");
        assertNotEquals(members.get(2), sampler.members(3, 8).get(2));

        SandwichEnds extremes = SandwichEnds.extremes(TestSpaces.standard());
        SandwichSampler third = new SandwichSampler(TestSpaces.standard(), extremes, a -> true, 2, false, 8, 5, null, 3);
        for (int step = 0; step < 9; step++) {
            List<Architecture> drawn = third.members(3, step);
            assertEquals(4, drawn.size(), "as many members on every step");
            assertEquals(step % 3 == 0, drawn.contains(TestSpaces.standard().smallest()),
                    "the smallest end on every third step: step " + step);
        }
        assertEquals(members.subList(2, 4), third.members(3, 7).subList(1, 3),
                "the random members of a step without the smallest begin with the same draws");
        SandwichSampler never = new SandwichSampler(TestSpaces.standard(), extremes, a -> true, 2, false, 8, 5, null, 0);
        assertTrue(java.util.stream.IntStream.range(0, 20)
                .noneMatch(step -> never.members(3, step).contains(TestSpaces.standard().smallest())));

        SandwichSampler everyOther = new SandwichSampler(TestSpaces.standard(), extremes, a -> true, 2, false, 8, 5,
                null, 1, 2);
        for (int step = 0; step < 8; step++) {
            List<Architecture> drawn = everyOther.members(3, step);
            assertEquals(4, drawn.size(), "as many members on every step");
            assertEquals(step % 2 == 0, drawn.get(0).equals(TestSpaces.standard().largest()),
                    "the largest end first on every second step: step " + step);
            assertEquals(step % 2 == 0, everyOther.trainsLargest(3, step));
            assertEquals(step % 2 == 0 ? 1 : 0, drawn.indexOf(TestSpaces.standard().smallest()));
        }
        assertEquals(members.subList(2, 4), everyOther.members(3, 7).subList(1, 3),
                "the random members of a step without the largest begin with the same draws");
        SandwichSampler noEnds = new SandwichSampler(TestSpaces.standard(), extremes, a -> true, 2, false, 8, 5, null,
                0, 0);
        assertEquals(4, noEnds.members(3, 4).size(), "four random members and no end");
        assertFalse(noEnds.members(3, 4).contains(TestSpaces.standard().largest()));
        SandwichSampler progressiveNoLargest = new SandwichSampler(TestSpaces.standard(), extremes, a -> true, 2, true,
                8, 5, null, 1, 0);
        assertEquals(List.of(TestSpaces.standard().largest()), progressiveNoLargest.members(1, 1),
                "progressive shrinking's first phase trains the largest alone");
        assertTrue(progressiveNoLargest.trainsLargest(1, 1));
        assertFalse(progressiveNoLargest.trainsLargest(8, 0));

        SandwichSampler progressive = new SandwichSampler(TestSpaces.standard(), 2, true, 8, 5);
        assertEquals(List.of(TestSpaces.standard().largest()), progressive.members(1, 0), "phase 0: largest only");
        Architecture largest = TestSpaces.standard().largest();
        for (int step = 0; step < 20; step++) {
            for (Architecture kernelOnly : progressive.members(3, step)) {
                assertEquals(largest.resolution(), kernelOnly.resolution());
                assertEquals(largest.width(), kernelOnly.width());
                for (int s = 0; s < largest.stages().size(); s++) {
                    assertEquals(largest.depth(s), kernelOnly.depth(s), "phase 1 keeps full depth");
                    for (int b = 0; b < largest.depth(s); b++) {
                        assertEquals(largest.stages().get(s).get(b).expand(), kernelOnly.stages().get(s).get(b).expand());
                        assertEquals(largest.stages().get(s).get(b).type(), kernelOnly.stages().get(s).get(b).type());
                    }
                }
            }
        }
        assertEquals(2, progressive.phase(5));
        assertEquals(3, progressive.phase(8));
    }

    @Test
    void trainingLowersTheLossAndAResumedRunEqualsAnUninterruptedOne() {
        List<String> lines = new ArrayList<>();
        SupernetTrainer.Trained straight = new SupernetTrainer(SPACE, settings(3), null, lines::add)
                .train(DATA.train(), DATA.val());
        assertEquals(3, straight.history().size());
        assertTrue(straight.history().get(2).loss() < straight.history().get(0).loss(),
                "loss " + straight.history().get(0).loss() + " -> " + straight.history().get(2).loss());
        assertEquals(3 * 3 * 3, straight.history().stream().mapToInt(SupernetEpoch::subnetSteps).sum(),
                "3 epochs x 3 steps x (largest + smallest + 1 random)");
        assertTrue(lines.get(0).matches("supernet epoch 1/3  phase 3  loss [\\d.]+  val mAP@0\\.5 largest .+ smallest "
                + ".+  [\\d.]+ subnet-img/s  1 shard\\(s\\), communication 0\\.0 s  elapsed \\S+  eta \\S+"),
                lines.get(0));

        Path checkpoint = dir.resolve("supernet.ckpt");
        List<Integer> checkpointed = new ArrayList<>();
        new SupernetTrainer(SPACE, settings(3).withEpochs(3), checkpoint, line -> { },
                () -> checkpointed.add(SupernetCheckpoint.load(checkpoint, SPACE).epoch()))
                .train(DATA.train(), DATA.val());
        assertEquals(List.of(1, 2, 3), checkpointed, "told after each epoch's checkpoint is on disk");
        SupernetCheckpoint.Contents saved = SupernetCheckpoint.load(checkpoint, SPACE);
        assertEquals(3, saved.epoch());
        assertEquals(straight.history().stream().map(SupernetEpoch::loss).toList(),
                saved.history().stream().map(SupernetEpoch::loss).toList(), "same seed, same losses");
        for (String key : straight.supernet().keys()) {
            assertEquals(straight.supernet().weight(key), saved.supernet().weight(key), key + " round-trips");
        }
    }

    @Test
    void stepsPerEpochBoundsAnEpoch() {
        SupernetSettings bounded = new SupernetSettings(1, 16, 2, 1, 3e-3, 0.5, 1e-4, false, 2, 0, Augmentation.NONE, 17, WeightSharing.PER_TYPE,
                SupernetSettings.NO_DISTILLATION);
        assertEquals(2, bounded.steps(DATA.train().size()));
        assertEquals(3, settings(1).steps(DATA.train().size()), "0: the whole split, 48 images in steps of 16");
        SupernetTrainer.Trained trained = new SupernetTrainer(SPACE, bounded, null, line -> { })
                .train(DATA.train(), DATA.val());
        assertEquals(2 * 3, trained.history().get(0).subnetSteps(), "2 steps x (largest + smallest + 1 random)");
    }

    @Test
    void resumingContinuesFromTheLastCompletedEpoch() {
        SupernetSettings two = settings(2);
        SupernetTrainer.Trained straight = new SupernetTrainer(SPACE, two, null, line -> { })
                .train(DATA.train(), DATA.val());
        Path checkpoint = dir.resolve("resume.ckpt");
        new SupernetTrainer(SPACE, two.withEpochs(1), checkpoint, line -> { }).train(DATA.train(), DATA.val());
        List<String> lines = new ArrayList<>();
        SupernetTrainer.Trained resumed = new SupernetTrainer(SPACE, two, checkpoint, lines::add)
                .train(DATA.train(), DATA.val());
        assertTrue(lines.get(0).startsWith("resuming the supernet after epoch 1"), lines.get(0));
        assertEquals(2, resumed.history().size());
        Architecture probe = SPACE.sample(new SplittableRandom(9));
        INDArray input = firstBatch(64).getFeatures();
        INDArray a = straight.supernet().extract(probe, 1, new NoOp()).outputSingle(false, input);
        INDArray b = resumed.supernet().extract(probe, 1, new NoOp()).outputSingle(false, input);
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 1e-4, "resumed = uninterrupted");
    }
    @Test
    void aSharedArrayUpdatedOnOneStepInTenGetsAdamsBiasCorrectionForItsOwnCount() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        double rate = 1e-3;
        SharedWeightOptimizer optimizer = new SharedWeightOptimizer(new Adam(rate));
        String often = "stem:W";
        String rarely = "head.pred:W";
        INDArray rareBefore = supernet.weight(rarely);
        for (int step = 0; step < 10; step++) {
            Map<String, INDArray> sums = new HashMap<>();
            sums.put(often, Nd4j.onesLike(supernet.weight(often)));
            if (step == 9) {
                sums.put(rarely, Nd4j.onesLike(rareBefore));
            }
            optimizer.step(supernet, sums, step, 0);
        }
        assertEquals(10, optimizer.count(often));
        assertEquals(1, optimizer.count(rarely));
        // A constant gradient's bias-corrected Adam step is the learning rate itself, at any count; corrected by the
        // global step (10) instead, this first update would be about half of it.
        INDArray moved = rareBefore.sub(supernet.weight(rarely));
        assertEquals(rate, moved.minNumber().doubleValue(), rate * 1e-3);
        assertEquals(rate, moved.maxNumber().doubleValue(), rate * 1e-3);
        SharedWeightOptimizer restored = new SharedWeightOptimizer(new Adam(rate));
        restored.restore(optimizer.stateBytes());
        assertEquals(1, restored.count(rarely), "the counts survive the checkpoint");
    }

    @Test
    void decoupledWeightDecayShrinksEachUsedWeightOncePerStepHoweverManyMembersUsedIt() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        Architecture small = SPACE.smallest();
        DataSet batch = firstBatch(64);
        ComputationGraph subnet = supernet.extract(small, 1, new NoOp());
        subnet.setInput(0, batch.getFeatures());
        subnet.setLabel(0, batch.getLabels());
        subnet.computeGradientAndScore();
        Map<String, INDArray> once = new HashMap<>();
        Map<String, INDArray> usedOnce = new HashMap<>();
        supernet.accumulateGradient(small, subnet, once, usedOnce);
        Map<String, INDArray> twice = new HashMap<>();
        Map<String, INDArray> usedTwice = new HashMap<>();
        supernet.accumulateGradient(small, subnet, twice, usedTwice);
        supernet.accumulateGradient(small, subnet, twice, usedTwice);
        assertEquals(0.0, usedOnce.get("stem:W").sub(usedTwice.get("stem:W")).amaxNumber().doubleValue(), 0.0,
                "the mask says where, not how often");
        Supernet a = Supernet.fromBytes(SPACE, supernet.toBytes());
        Supernet b = Supernet.fromBytes(SPACE, supernet.toBytes());
        double rate = 1e-2;
        double decay = 0.5;
        new SharedWeightOptimizer(new org.nd4j.linalg.learning.config.Sgd(rate), decay).step(a, zero(once), usedOnce,
                0, 0);
        new SharedWeightOptimizer(new org.nd4j.linalg.learning.config.Sgd(rate), 0).step(b, zero(once), usedOnce, 0, 0);
        INDArray w = supernet.weight("stem:W");
        INDArray expected = w.sub(w.mul(usedOnce.get("stem:W")).muli(rate * decay));
        assertEquals(0.0, a.weight("stem:W").sub(expected).amaxNumber().doubleValue(), 1e-7,
                "with a zero gradient, used weights shrink by rate x decay, once");
        assertEquals(0.0, b.weight("stem:W").sub(w).amaxNumber().doubleValue(), 0.0, "and without decay stay put");
    }

    private static Map<String, INDArray> zero(Map<String, INDArray> sums) {
        Map<String, INDArray> zeros = new HashMap<>();
        sums.forEach((k, v) -> zeros.put(k, SharedWeightOptimizer.isRunningStatistic(k) ? v : Nd4j.zerosLike(v)));
        return zeros;
    }

    @Test
    void inPlaceDistillationTeachesTheSmallerMembersWithTheLargestsOutputsOnTheSameBatch() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        DataSet batch = firstBatch(64);
        ComputationGraph largest = supernet.extract(SPACE.largest(), 1, new NoOp());
        INDArray teacher = largest.outputSingle(true, batch.getFeatures());
        int grid = 64 / SPACE.head().outputStride();
        org.deeplearning4j.nn.conf.layers.Layer imitation = new io.sparknas.train.DistillationLossLayer(
                new io.sparknas.train.DistillationLoss(io.sparknas.net.DetectorNetworkBuilder.loss(SPACE.head(),
                        grid * grid), 1.0, 4.0, 0.5));
        INDArray combined = Nd4j.concat(1, batch.getLabels(), teacher);

        // The largest imitating itself: the imitation term is 0, the gradient is the plain one.
        ComputationGraph self = supernet.extract(SPACE.largest(), 1, new NoOp(), imitation);
        assertEquals(0.0, gradientGap(largest, self, batch.getFeatures(), batch.getLabels(), combined), 1e-6);

        // A smaller member learns from the largest as well as from the labels.
        Architecture small = SPACE.smallest();
        ComputationGraph plain = supernet.extract(small, 1, new NoOp());
        ComputationGraph student = supernet.extract(small, 1, new NoOp(), imitation);
        assertTrue(gradientGap(plain, student, batch.getFeatures(), batch.getLabels(), combined) > 1e-4,
                "the imitation term changes the smaller member's gradient");

        SupernetSettings base = settings(1);
        SupernetSettings distilling = new SupernetSettings(1, 16, 2, 1, 3e-3, 0.5, 1e-4, false, 2, 0,
                Augmentation.NONE, 17, WeightSharing.PER_TYPE, new io.sparknas.train.DistillationSettings(1.0, 4.0,
                0.5));
        List<String> lines = new ArrayList<>();
        SupernetTrainer.Trained trained = new SupernetTrainer(SPACE, distilling, null, lines::add)
                .train(DATA.train(), DATA.val());
        assertEquals(1, trained.history().size());
        assertTrue(Double.isFinite(trained.history().get(0).loss()), lines.toString());
        assertEquals(base.batchSize(), distilling.batchSize());
    }

    /** The largest absolute difference of the two networks' gradients on the same input. */
    private static double gradientGap(ComputationGraph a, ComputationGraph b, INDArray input, INDArray labelsA,
                                      INDArray labelsB) {
        a.setInput(0, input);
        a.setLabel(0, labelsA);
        a.computeGradientAndScore();
        b.setInput(0, input);
        b.setLabel(0, labelsB);
        b.computeGradientAndScore();
        return a.gradient().gradient().sub(b.gradient().gradient()).amaxNumber().doubleValue();
    }

    @Test
    void aCheckpointRemembersItsAnchorBoxesAndRefusesAConfigurationWithOthers(@TempDir Path dir) {
        SearchSpace base = TestSpaces.standard();
        java.util.function.Function<Double, SearchSpace> withBoxes = scale -> new SearchSpace(base.resolutions(),
                base.widths(), base.channelDivisor(), base.stemChannels(), base.stages(), base.convTypes(),
                base.kernels(), base.expandRatios(), base.head(), List.of(new io.sparknas.space.Anchor(0.1 * scale,
                0.1 * scale), new io.sparknas.space.Anchor(0.2 * scale, 0.2 * scale),
                new io.sparknas.space.Anchor(0.4 * scale, 0.4 * scale)));
        SearchSpace trained = withBoxes.apply(1.0).narrow(64, 0.5);
        assertEquals(0.1 * 4, trained.head().anchors().get(0).width(), 1e-9, "0.1 of 64 px is 0.4 cells of 16 px");
        Path checkpoint = dir.resolve("anchors.ckpt");
        SupernetCheckpoint.save(checkpoint, Supernet.initialize(trained, 1, new NoOp()),
                new SharedWeightOptimizer(new Adam(1e-3)), List.of());
        assertEquals(trained, SupernetCheckpoint.load(checkpoint, withBoxes.apply(1.0)).supernet().space());
        IllegalArgumentException other = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> SupernetCheckpoint.load(checkpoint, withBoxes.apply(1.5)));
        assertTrue(other.getMessage().contains("was trained with anchor boxes"), other.getMessage());
    }

    @Test
    void channelSortingKeepsTheLargestSubnetsFunctionAndOrdersHiddenChannelsByImportance() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        SharedWeightOptimizer optimizer = new SharedWeightOptimizer(new Adam(1e-2));
        Architecture largest = SPACE.largest();
        DataSet batch = firstBatch(64);
        ComputationGraph subnet = supernet.extract(largest, 1, new NoOp());
        subnet.setInput(0, batch.getFeatures());
        subnet.setLabel(0, batch.getLabels());
        subnet.computeGradientAndScore();
        Map<String, INDArray> sums = new HashMap<>();
        supernet.accumulateGradient(largest, subnet, sums);
        optimizer.step(supernet, sums, 0, 0);
        INDArray before = supernet.extract(largest, 1, new NoOp()).outputSingle(false, batch.getFeatures());
        INDArray momentBefore = optimizer.state("s3.b0.project|mbconv:W").dup();
        INDArray projectBefore = supernet.weight("s3.b0.project|mbconv:W");

        int slots = ChannelImportanceSorting.sort(supernet, optimizer);

        assertEquals(1 + 3 + 3 + 4 + 3, slots, "every MBConv block slot of the five stages is sorted");
        INDArray after = supernet.extract(largest, 1, new NoOp()).outputSingle(false, batch.getFeatures());
        assertEquals(0.0, before.sub(after).amaxNumber().doubleValue(), 1e-4, "same function after sorting");
        double[] norms = supernet.weight("s3.b0.project|mbconv:W").norm1(0, 2, 3).toDoubleVector();
        for (int c = 1; c < norms.length; c++) {
            assertTrue(norms[c - 1] >= norms[c], "hidden channel " + c + " is sorted by importance");
        }
        long[] order = ChannelImportanceSorting.importanceOrder(projectBefore);
        INDArray project = supernet.weight("s3.b0.project|mbconv:W");
        INDArray moment = optimizer.state("s3.b0.project|mbconv:W").reshape(2, project.size(0), project.size(1), 1, 1);
        INDArray oldMoment = momentBefore.reshape(2, project.size(0), project.size(1), 1, 1);
        assertEquals(oldMoment.getDouble(0, 3, order[0], 0, 0), moment.getDouble(0, 3, 0, 0, 0), 0.0,
                "the optimizer's moments move with their weights");
        assertEquals(oldMoment.getDouble(1, 5, order[2], 0, 0), moment.getDouble(1, 5, 2, 0, 0), 0.0);
    }
}
