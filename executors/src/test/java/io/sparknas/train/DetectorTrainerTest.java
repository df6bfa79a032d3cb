package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Short real training runs of a tiny detector. */
class DetectorTrainerTest {

    private static final SearchSpace SPACE = TestSpaces.standard();
    private static final DetectionDataset DATA = new SyntheticDetectionSet(new SyntheticSpec(64, 96, 16, 4, 3)).generate();

    @TempDir
    Path dir;

    private static LayerGraph tiny() {
        return new ArchitectureLowering(SPACE).lower(SPACE.smallest().withInput(64, 0.3));
    }

    private static ComputationGraph fiveEpochNetwork(int iterations) {
        return io.sparknas.net.DetectorNetworkBuilder.build(tiny(), SPACE.head(), 3, settings(5).updater(iterations),
                settings(5).weightDecay());
    }

    private static TrainingSettings settings(int epochs) {
        return new TrainingSettings(epochs, 16, "adam", 5e-3, 0.9, 0.5, 1e-4, 0, 1, Augmentation.NONE, 11);
    }

    @Test
    void lossGoesDown() {
        List<String> lines = new ArrayList<>();
        DetectorTrainer.Trained trained = new DetectorTrainer(SPACE.head(), settings(10), null, lines::add)
                .train(tiny(), DATA.train(), DATA.val());
        List<EpochRecord> history = trained.result().history();
        assertEquals(10, history.size());
        assertTrue(history.get(9).loss() < 0.6 * history.get(0).loss(),
                "loss " + history.stream().map(e -> String.format("%.1f", e.loss())).toList());
        assertEquals(10, lines.size());
        assertTrue(lines.get(0).matches("epoch 1/10  loss [\\d.]+  val mAP@0\\.5 [\\d.]+  [\\d.]+ img/s  elapsed \\S+  eta \\S+"),
                lines.get(0));
    }

    @Test
    void aRunStillAtTheFloorOfTheMetricIsNotStoppedEarly() {
        TrainingSettings impatient = new TrainingSettings(3, 16, "adam", 1e-7, 0.9, 0, 0, 1, 1, Augmentation.NONE,
                11);
        List<String> lines = new ArrayList<>();
        DetectorTrainer.Trained trained = new DetectorTrainer(SPACE.head(), impatient, null, lines::add)
                .train(tiny(), DATA.train(), DATA.val());
        assertEquals(3, trained.result().epochsRun(), String.join("\n", lines));
        assertFalse(trained.result().stoppedEarly());
        assertTrue(trained.result().bestValMap50() < DetectorTrainer.EARLY_STOP_FLOOR,
                "an untrained network stays at the floor: " + trained.result().bestValMap50());
    }

    @Test
    void aTrainingThatDivergesBeforeItsFirstScoredEpochFailsNamingTheLearningRate() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                new DetectorTrainer(SPACE.head(), settings(3), null, line -> { }).withFit(divergingIn(1))
                        .train(tiny(), DATA.train(), DATA.val()));
        assertTrue(e.getMessage().startsWith("the training diverged: loss NaN in epoch 1 of 3")
                && e.getMessage().contains("lower learning rate than 0.00500000"), e.getMessage());
    }

    @Test
    void aTrainingThatDivergesLaterStopsAndKeepsItsBestEpochWithoutCheckpointingTheDivergedOne() {
        Path checkpoint = dir.resolve("diverging");
        List<String> lines = new ArrayList<>();

        DetectorTrainer.Trained trained = new DetectorTrainer(SPACE.head(), settings(5), checkpoint, lines::add)
                .withFit(divergingIn(3)).train(tiny(), DATA.train(), DATA.val());

        assertTrue(trained.result().stoppedEarly());
        assertEquals(2, trained.result().epochsRun());
        assertEquals(2, trained.result().history().size(), "the diverged epoch is not recorded");
        assertTrue(lines.get(2).startsWith("epoch 3/5  loss NaN: the training diverged; stopping and keeping epoch "),
                lines.get(2));
        assertTrue(finite(trained.network().params()), "the kept network is a trained one, not the diverged one");
        assertEquals(2, new TrainingCheckpoint(checkpoint).loadState().epoch(), "the checkpoint stays at epoch 2");
        assertTrue(finite(new TrainingCheckpoint(checkpoint).loadLast().params()));
    }

    /** DL4J's own steps until epoch {@code diverging}, where every step leaves NaN weights and a NaN loss. */
    private static BatchFit divergingIn(int diverging) {
        return new BatchFit() {
            @Override
            public double step(ComputationGraph network, DetectionBatches batches, int epoch, int step) {
                double loss = BatchFit.IN_PROCESS.step(network, batches, epoch, step);
                if (epoch < diverging) {
                    return loss;
                }
                network.params().assign(Double.NaN);
                return Double.NaN;
            }

            @Override
            public int shards() {
                return 1;
            }
        };
    }

    private static boolean finite(INDArray values) {
        return java.util.Arrays.stream(values.data().asDouble()).allMatch(Double::isFinite);
    }

    @Test
    void aResumedTrainingFollowsTheScheduleOfItsNewLengthAndKeepsEverythingElse() {
        int perEpoch = (DATA.train().size() + settings(5).batchSize() - 1) / settings(5).batchSize();
        ComputationGraph threeEpochs = io.sparknas.net.DetectorNetworkBuilder.build(tiny(), SPACE.head(), 3,
                settings(3).updater(perEpoch), settings(3).weightDecay());
        threeEpochs.getUpdater().getStateViewArray().assign(Nd4j.rand(threeEpochs.getUpdater().getStateViewArray()
                .shape()));
        threeEpochs.getConfiguration().setIterationCount(3 * perEpoch);
        List<String> lines = new ArrayList<>();

        ComputationGraph stretched = new DetectorTrainer(SPACE.head(), settings(5), null, lines::add)
                .withSchedule(threeEpochs, tiny(), perEpoch);

        String layer = stretched.getLayers()[0].conf().getLayer().getLayerName();
        for (int iteration : new int[] {3 * perEpoch, 4 * perEpoch, 5 * perEpoch - 1}) {
            assertEquals(settings(5).updater(perEpoch).getLearningRate(iteration, 0),
                    ((org.deeplearning4j.nn.conf.layers.BaseLayer) stretched.getLayer(layer).conf().getLayer())
                            .getIUpdater().getLearningRate(iteration, 0), 1e-12, "iteration " + iteration);
        }
        assertTrue(settings(5).updater(perEpoch).getLearningRate(4 * perEpoch, 0)
                > 2 * settings(3).updater(perEpoch).getLearningRate(4 * perEpoch, 0),
                "the two schedules differ where the test compares them");
        assertEquals(threeEpochs.params(), stretched.params());
        assertEquals(threeEpochs.getUpdater().getStateViewArray(), stretched.getUpdater().getStateViewArray());
        assertEquals(3 * perEpoch, stretched.getConfiguration().getIterationCount());
        assertEquals(List.of("the learning-rate schedule now runs over 5 epochs: the checkpoint was started for "
                + "another length"), lines);
        assertSame(stretched, new DetectorTrainer(SPACE.head(), settings(5), null, lines::add)
                .withSchedule(stretched, tiny(), perEpoch), "a checkpoint of the same length is used as it is");
    }

    @Test
    void checkpointResumesWhereItStoppedAndTheModelRoundTrips() throws Exception {
        Path checkpoint = dir.resolve("ckpt");
        DetectorTrainer.Trained first = new DetectorTrainer(SPACE.head(), settings(3), checkpoint, line -> { })
                .train(tiny(), DATA.train(), DATA.val());
        assertEquals(3, first.result().epochsRun());
        TrainingCheckpoint.State saved = new TrainingCheckpoint(checkpoint).loadState();
        assertEquals(3, saved.epoch());

        List<String> lines = new ArrayList<>();
        DetectorTrainer.Trained resumed = new DetectorTrainer(SPACE.head(), settings(5), checkpoint, lines::add)
                .train(tiny(), DATA.train(), DATA.val());
        assertTrue(lines.get(0).startsWith("resuming after epoch 3"), lines.get(0));
        assertTrue(lines.get(1).startsWith("the learning-rate schedule now runs over 5 epochs"), lines.get(1));
        assertEquals(5, resumed.result().history().size());
        assertEquals(first.result().history(), resumed.result().history().subList(0, 3), "earlier epochs are kept");
        assertEquals(4, resumed.result().history().get(3).epoch());

        Path split = dir.resolve("split");
        int iterations = (DATA.train().size() + settings(5).batchSize() - 1) / settings(5).batchSize();
        TrainingCheckpoint.State fresh = new TrainingCheckpoint.State(0, -1, 0, List.of());
        new DetectorTrainer(SPACE.head(), settings(3), split, line -> { }).run(fiveEpochNetwork(iterations),
                64, DATA.train(), DATA.val(), fresh);
        TrainingCheckpoint stopped = new TrainingCheckpoint(split);
        DetectorTrainer.Trained continued = new DetectorTrainer(SPACE.head(), settings(5), split, line -> { })
                .run(stopped.loadLast(), 64, DATA.train(), DATA.val(), stopped.loadState());
        DetectorTrainer.Trained straight = new DetectorTrainer(SPACE.head(), settings(5), null, line -> { })
                .run(fiveEpochNetwork(iterations), 64, DATA.train(), DATA.val(), fresh);
        double expected = straight.result().history().get(3).loss();
        assertEquals(expected, continued.result().history().get(3).loss(), 1e-4 * Math.abs(expected),
                "the resumed epoch is the uninterrupted one (the optimizer state comes back in its order)");

        ComputationGraph best = new TrainingCheckpoint(checkpoint).loadBest();
        INDArray probe = Nd4j.rand(2, 3, 64, 64);
        assertEquals(resumed.network().outputSingle(false, probe), best.outputSingle(false, probe));
        Path saved2 = dir.resolve("model.zip");
        ModelSerializer.writeModel(resumed.network(), saved2.toFile(), true);
        ComputationGraph reloaded = ModelSerializer.restoreComputationGraph(saved2.toFile(), true);
        assertEquals(resumed.network().outputSingle(false, probe), reloaded.outputSingle(false, probe));
        assertTrue(reloaded.getConfiguration().toJson().contains("WarmupCosineSchedule"), "the schedule is saved");
        assertTrue(reloaded.getConfiguration().toJson().contains("YoloLoss"), "the loss is saved");
    }

    @Test
    void warmupCosineScheduleShape() {
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(1.0, 9, 109, 0.02);
        assertEquals(0.1, schedule.valueAt(0, 0), 1e-12);
        assertEquals(1.0, schedule.valueAt(9, 0), 1e-12);
        assertEquals(0.51, schedule.valueAt(59, 0), 1e-12);
        assertEquals(0.02, schedule.valueAt(109, 0), 1e-12);
        assertEquals(0.02, schedule.valueAt(500, 0), 1e-12);
    }
}
