package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.AugmentedViews;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Full training of one candidate: inherited weights are the start, a distilled student comes back plain, and a
 * teacher's outputs for augmented views are its outputs on exactly the inputs the students see.
 */
class FinalTrainerTest {

    private static final SearchSpace SPACE = TestSpaces.standard();
    private static final HeadSpec HEAD = SPACE.head();
    private static final DetectionDataset DATA = new SyntheticDetectionSet(new SyntheticSpec(64, 24, 8, 8, 4)).generate();
    private static final LayerGraph GRAPH = new CostModel(SPACE, TestSpaces.stm32f746(), CostSettings.DEFAULT)
            .lower(SPACE.smallest().withInput(64, 0.3));

    private static TrainingSettings settings(double learningRate) {
        return new TrainingSettings(1, 8, "adam", learningRate, 0.9, 0, 0, 0, 1, Augmentation.NONE, 5);
    }

    @Test
    void inheritedWeightsAreWhereTrainingStarts() {
        ComputationGraph inherited = DetectorNetworkBuilder.build(GRAPH, HEAD, 99, new Adam(1e-3), 0);
        String conv = GRAPH.layers().get(0).name();
        INDArray before = inherited.getParam(conv + "_W").dup();
        FinalTrainer.Outcome tiny = new FinalTrainer(HEAD, settings(1e-12), new DistillationSettings(1, 4, 0.5),
                line -> { }).train(GRAPH, DATA, null, inherited);
        assertEquals(0, before.distance2(tiny.network().getParam(conv + "_W")), 1e-6,
                "with a vanishing learning rate the inherited weights stay");
        FinalTrainer.Outcome scratch = new FinalTrainer(HEAD, settings(1e-12), new DistillationSettings(1, 4, 0.5),
                line -> { }).train(GRAPH, DATA, null, null);
        assertNotEquals(0, before.distance2(scratch.network().getParam(conv + "_W")), 1e-3,
                "from scratch they are the seed's own");
        assertEquals(8, tiny.test().images(), "scored on the test split");
    }

    @Test
    void aDistilledStudentComesBackAsAPlainDetector() {
        List<float[]> teacher = DATA.train().stream().map(i -> new float[HEAD.predictionChannels() * 16]).toList();
        FinalTrainer.Outcome outcome = new FinalTrainer(HEAD, settings(1e-3), new DistillationSettings(1, 4, 0.5),
                line -> { }).train(GRAPH, DATA, teacher, null);
        assertFalse(outcome.network().getLayer(DetectorNetworkBuilder.OUTPUT).conf().getLayer()
                instanceof DistillationLossLayer);
        assertEquals(1, outcome.training().epochsRun());
        assertTrue(outcome.test().map50() >= 0 && outcome.test().map50() <= 1);
    }

    @Test
    void aTeachersOutputsForViewsAreItsOutputsOnTheInputsTheStudentsSee() {
        ComputationGraph network = DetectorNetworkBuilder.build(GRAPH, HEAD, 7, new Adam(1e-3), 0);
        AugmentedViews views = new AugmentedViews(2, Augmentation.DEFAULT, 3);
        int side = GRAPH.input().height();
        int images = DATA.train().size();
        List<float[]> outputs = TeacherPredictions.compute(new NetworkTeacher(network, "a detector"), DATA.train(),
                side, HEAD, 5, views);
        assertEquals(2 * images, outputs.size());
        DetectionBatches shown = new DetectionBatches(DATA.train(), side, side / HEAD.outputStride(),
                DetectorEvaluator.anchorPairs(HEAD), HEAD.classes(), 7, views, false, 0, null);
        for (int view = 0; view < 2; view++) {
            shown.startEpoch(view);
            for (int b = 0; b < shown.batchCount(); b++) {
                INDArray out = network.outputSingle(false, shown.batch(b).getFeatures());
                for (int n = 0; n < out.size(0); n++) {
                    assertArrayEquals(out.get(NDArrayIndex.point(n)).dup('c').data().asFloat(),
                            outputs.get(view * images + b * 7 + n), 1e-5f, "view " + view + " image " + (b * 7 + n));
                }
            }
        }
        assertFalse(Arrays.equals(outputs.get(0), outputs.get(images)), "the two views of an image differ");

        FinalTrainer.Outcome distilled = new FinalTrainer(HEAD, settings(1e-3), new DistillationSettings(1, 4, 0.5),
                line -> { }).train(GRAPH, DATA, views, outputs, null);
        assertFalse(distilled.network().getLayer(DetectorNetworkBuilder.OUTPUT).conf().getLayer()
                instanceof DistillationLossLayer);
        assertThrows(IllegalArgumentException.class, () -> new FinalTrainer(HEAD, settings(1e-3),
                new DistillationSettings(1, 4, 0.5), line -> { }).train(GRAPH, DATA, views,
                outputs.subList(0, images), null), "one view's outputs do not serve two views");
    }
}
