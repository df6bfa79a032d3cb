package io.sparknas.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.DetectionImage;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import io.sparknas.train.StepGradients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Sandwich steps cut into shards of the batch: the shards add up to the step, and shard counts may change on resume. */
class SandwichShardsTest {

    private static final SearchSpace SPACE = TestSpaces.standard().narrow(64, 0.3);
    private static final DetectionDataset DATA = new SyntheticDetectionSet(new SyntheticSpec(64, 48, 16, 4, 3)).generate();

    @TempDir
    Path dir;

    private static SupernetSettings settings(int epochs) {
        return new SupernetSettings(epochs, 16, 0, 1, 3e-3, 0.5, 1e-4, false, 2, 0, Augmentation.DEFAULT, 17,
                WeightSharing.PER_TYPE, SupernetSettings.NO_DISTILLATION);
    }

    private static SandwichStep step() {
        return new SandwichStep(2, 1, List.of(SPACE.largest(), SPACE.smallest(), SPACE.sample(new SplittableRandom(5))));
    }

    @Test
    void thePartsOfABatchAreItsImagesInOrderRenderedAlike() {
        DetectionBatches batches = new DetectionBatches(DATA.train(), 64, 4, DetectorEvaluator.anchorPairs(SPACE.head()),
                SPACE.head().classes(), 16, Augmentation.DEFAULT, true, 7);
        batches.startEpoch(3);
        DataSet whole = batches.batch(1);
        List<DataSet> parts = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            parts.add(batches.batchPart(1, part, 3));
        }
        assertEquals(List.of(5L, 5L, 6L), parts.stream().map(p -> p.getFeatures().size(0)).toList());
        INDArray features = Nd4j.concat(0, parts.stream().map(DataSet::getFeatures).toArray(INDArray[]::new));
        INDArray labels = Nd4j.concat(0, parts.stream().map(DataSet::getLabels).toArray(INDArray[]::new));
        assertEquals(whole.getFeatures(), features, "augmented pixels");
        assertEquals(whole.getLabels(), labels, "labels");
        assertNull(batches.batchPart(2, 0, 17), "17 parts of 16 images: the first is empty");
    }

    @Test
    void aStepWithoutTheLargestEndImitatesNoMember() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        SupernetSettings distilling = new SupernetSettings(3, 16, 0, 1, 3e-3, 0.5, 1e-4, false, 2, 0,
                Augmentation.DEFAULT, 17, WeightSharing.PER_TYPE, new io.sparknas.train.DistillationSettings(1.0, 4.0,
                0.5));
        SplittableRandom random = new SplittableRandom(5);
        Architecture other = SPACE.sample(random);
        while (other.resolution() != SPACE.smallest().resolution() || other.equals(SPACE.smallest())) {
            other = SPACE.sample(random);
        }
        List<Architecture> members = List.of(SPACE.smallest(), other);
        StepGradients plain = new SandwichPass(new SandwichTraining(SPACE, settings(3)), DATA.train())
                .compute(supernet, new SandwichStep(2, 1, members, false), 0, 1);
        SandwichPass pass = new SandwichPass(new SandwichTraining(SPACE, distilling), DATA.train());
        StepGradients withoutLargest = pass.compute(supernet, new SandwichStep(2, 1, members, false), 0, 1);
        assertEquals(plain.sums(), withoutLargest.sums(), "no teacher on a step that does not train the largest end");
        StepGradients firstAsTeacher = pass.compute(supernet, new SandwichStep(2, 1, members, true), 0, 1);
        double gap = 0;
        for (String key : plain.sums().keySet()) {
            gap = Math.max(gap, plain.sums().get(key).sub(firstAsTeacher.sums().get(key)).amaxNumber().doubleValue());
        }
        assertTrue(gap > 1e-6, "a first member marked as the largest is imitated: gap " + gap);
    }

    @Test
    void theShardsOfAStepAddUpToTheStepAndCrossAsBytes() {
        Supernet supernet = Supernet.initialize(SPACE, 3, new NoOp());
        SandwichTraining training = new SandwichTraining(SPACE, settings(3));
        SandwichPass pass = new SandwichPass(training, DATA.train());
        StepGradients first = pass.compute(supernet, step(), 0, 2);
        StepGradients second = pass.compute(supernet, step(), 1, 2);
        assertEquals(8, first.images());
        assertEquals(8, second.images());

        StepGradients combined = StepGradients.combine(List.of(first, second), 0);
        StepGradients local;
        try (LocalSandwichSteps steps = new LocalSandwichSteps(training, DATA.train(), 2)) {
            local = steps.run(supernet, step());
        }
        assertEquals(16, local.images());
        assertEquals(combined.sums().keySet(), local.sums().keySet());
        for (String key : combined.sums().keySet()) {
            assertEquals(first.sums().get(key).add(second.sums().get(key)), local.sums().get(key), key);
        }
        assertEquals(first.loss() + second.loss(), local.loss(), 1e-9);
        assertEquals(first.used(), local.used(), "every shard runs the same members: the first shard's masks");

        // What a task receives: only the arrays the step's members use, and the same gradients from them.
        java.util.Set<String> sent = supernet.keysFor(step().members());
        assertTrue(sent.size() < supernet.keys().size(), sent.size() + " of " + supernet.keys().size() + " arrays");
        assertTrue(sent.containsAll(first.sums().keySet()), "every array a member trains is sent");
        Supernet received = Supernet.fromTransferBytes(SPACE, supernet.toTransferBytes(sent));
        StepGradients remote = new SandwichPass(training, DATA.train()).compute(received, step(), 0, 2);
        assertEquals(first.sums(), remote.sums(), "the same gradients from the arrays sent");
        assertEquals(first.loss(), remote.loss());

        StepGradients copy = StepGradients.fromBytes(local.toBytes());
        assertEquals(local.sums(), copy.sums());
        assertEquals(local.used(), copy.used());
        assertEquals(local.loss(), copy.loss());
        assertEquals(Map.of(), StepGradients.fromBytes(second.withoutMasks().toBytes()).used());

        // Each shard's gradient is the mean over its own images, scaled by its share: two shards of 8 give a
        // gradient of the whole batch's size (not twice it). The directions differ by BatchNorm's per-shard
        // statistics, which is what a step with two shards means.
        StepGradients whole = pass.compute(supernet, step(), 0, 1);
        double ratio = flat(local.sums()).norm2Number().doubleValue() / flat(whole.sums()).norm2Number().doubleValue();
        assertTrue(ratio > 0.8 && ratio < 1.25, "norm ratio " + ratio);
    }

    private static INDArray flat(Map<String, INDArray> sums) {
        return Nd4j.concat(0, sums.entrySet().stream().filter(e -> e.getKey().endsWith(":W"))
                .map(e -> e.getValue().reshape(e.getValue().length())).toArray(INDArray[]::new));
    }

    @Test
    void aRunTrainedWithTwoShardsResumesWithOneAsIfItHadSwitchedWithoutStopping() {
        SandwichStepRunner.Factory twoThenOne = (training, train) -> new SwitchingSteps(training, train);
        SupernetTrainer.Trained straight = new SupernetTrainer(SPACE, settings(2), null, line -> { })
                .withSteps(twoThenOne).train(DATA.train(), DATA.val());

        Path checkpoint = dir.resolve("supernet.ckpt");
        new SupernetTrainer(SPACE, settings(1), checkpoint, line -> { })
                .withSteps((training, train) -> new LocalSandwichSteps(training, train, 2))
                .train(DATA.train(), DATA.val());
        List<String> lines = new ArrayList<>();
        SupernetTrainer.Trained resumed = new SupernetTrainer(SPACE, settings(2), checkpoint, lines::add)
                .train(DATA.train(), DATA.val());

        assertEquals(List.of(2, 1), resumed.history().stream().map(SupernetEpoch::shards).toList());
        assertTrue(lines.get(1).contains("1 shard(s), communication 0.0 s"), lines.get(1));
        assertEquals(straight.history().stream().map(SupernetEpoch::loss).toList(),
                resumed.history().stream().map(SupernetEpoch::loss).toList());
        for (String key : straight.supernet().keys()) {
            assertEquals(0.0, straight.supernet().weight(key).sub(resumed.supernet().weight(key)).amaxNumber()
                    .doubleValue(), 1e-6, key);
        }
        assertTrue(resumed.history().get(1).loss() < resumed.history().get(0).loss(), "the loss keeps falling");
    }

    /** Two shards in epoch 1, one from epoch 2 on: what a run stopped after epoch 1 and resumed on one core does. */
    private static final class SwitchingSteps implements SandwichStepRunner {
        private final LocalSandwichSteps two;
        private final LocalSandwichSteps one;
        private int shards = 2;

        SwitchingSteps(SandwichTraining training, List<DetectionImage> train) {
            two = new LocalSandwichSteps(training, train, 2);
            one = new LocalSandwichSteps(training, train, 1);
        }

        @Override
        public StepGradients run(Supernet supernet, SandwichStep step) {
            shards = step.epoch() == 1 ? 2 : 1;
            return (shards == 2 ? two : one).run(supernet, step);
        }

        @Override
        public int shards() {
            return shards;
        }
    }

    @Test
    void aStepNeedsMembers() {
        Architecture any = SPACE.smallest();
        assertEquals(1, new SandwichStep(1, 0, List.of(any)).members().size());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SandwichStep(1, 0, List.of()));
    }
}
