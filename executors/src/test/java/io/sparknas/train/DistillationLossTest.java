package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.net.YoloLoss;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** The distillation loss: a divergence (0 at the teacher), exact closed-form gradients, and it pulls a student. */
class DistillationLossTest {

    private static final SearchSpace SPACE = TestSpaces.standard();
    private static final HeadSpec HEAD = SPACE.head();
    private static final int WIDTH = HEAD.predictionChannels();

    private static DistillationLoss loss(double weight) {
        return new DistillationLoss(DetectorNetworkBuilder.loss(HEAD, 16), weight, 4.0, 0.5);
    }

    @Test
    void theTermIsZeroWhenTheStudentEqualsTheTeacherAndPositiveOtherwise() {
        Nd4j.getRandom().setSeed(1);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, 32, WIDTH).muli(3);
        double[] same = loss(1).distillation(teacher, teacher.dup());
        assertEquals(32, same.length);
        for (double row : same) {
            assertEquals(0, row, 1e-5);
        }
        double[] different = loss(1).distillation(teacher, Nd4j.randn(DataType.FLOAT, 32, WIDTH));
        assertTrue(Arrays.stream(different).allMatch(d -> d > 0), Arrays.toString(different));
    }

    @Test
    void eachTermsGradientMatchesFiniteDifferences() {
        double[][] terms = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}};
        for (double[] term : terms) {
            Nd4j.getRandom().setSeed(2);
            int rows = 6;
            INDArray gt = Nd4j.zeros(DataType.DOUBLE, rows, WIDTH);
            gt.putScalar(new long[] {1, 4}, 1.0);
            gt.putScalar(new long[] {1, 5 + 2}, 1.0);
            gt.putScalar(new long[] {1, 0}, 0.3);
            gt.putScalar(new long[] {1, 1}, 0.6);
            INDArray teacher = Nd4j.randn(DataType.DOUBLE, rows, WIDTH).muli(2);
            INDArray labels = Nd4j.concat(1, gt, teacher);
            INDArray student = Nd4j.randn(DataType.DOUBLE, rows, WIDTH);
            DistillationLoss loss = new DistillationLoss(DetectorNetworkBuilder.loss(HEAD, 16), 0.7, 2.0, 0.5,
                    term[0], term[1], term[2]);
            ActivationIdentity identity = new ActivationIdentity();
            INDArray gradient = loss.computeGradient(labels, student, identity, null);
            INDArray distillationOnly = loss.distillationGradient(teacher, student);
            double h = 1e-2;
            int nonZero = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < WIDTH; c++) {
                    INDArray plus = student.dup();
                    plus.putScalar(new long[] {r, c}, student.getDouble(r, c) + h);
                    INDArray minus = student.dup();
                    minus.putScalar(new long[] {r, c}, student.getDouble(r, c) - h);
                    double numeric = (loss.computeScore(labels, plus, identity, null, false)
                            - loss.computeScore(labels, minus, identity, null, false)) / (2 * h);
                    assertEquals(numeric, gradient.getDouble(r, c), 1e-2 * Math.max(1, Math.abs(numeric)),
                            Arrays.toString(term) + ": d loss / d output[" + r + "][" + c + "]");
                    double kdNumeric = (Arrays.stream(loss.distillation(teacher, plus)).sum()
                            - Arrays.stream(loss.distillation(teacher, minus)).sum()) / (2 * h);
                    assertEquals(kdNumeric, distillationOnly.getDouble(r, c), 1e-2 * Math.max(1, Math.abs(kdNumeric)),
                            Arrays.toString(term) + ": d distillation / d output[" + r + "][" + c + "]");
                    nonZero += distillationOnly.getDouble(r, c) != 0 ? 1 : 0;
                }
            }
            assertTrue(nonZero >= rows, Arrays.toString(term) + ": the term has a gradient (" + nonZero + ")");
        }
    }

    @Test
    void backgroundCellsGiveNoClassTermGradient() {
        Nd4j.getRandom().setSeed(3);
        int rows = 8;
        int stride = 5 + HEAD.classes();
        INDArray teacher = Nd4j.randn(DataType.FLOAT, rows, WIDTH).muli(3);
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < WIDTH / stride; a++) {
                teacher.putScalar(new long[] {r, a * stride + 4}, (r + a) % 3 == 0 ? 4.0 : -6.0);
            }
        }
        INDArray student = Nd4j.randn(DataType.FLOAT, rows, WIDTH);
        INDArray gradient = loss(1).distillationGradient(teacher, student);
        int background = 0;
        int objects = 0;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < WIDTH / stride; a++) {
                boolean object = (r + a) % 3 == 0;
                for (int k = 0; k < stride; k++) {
                    double g = gradient.getDouble(r, a * stride + k);
                    if (k == 4) {
                        assertTrue(g != 0, "objectness is imitated on every cell: row " + r + " anchor " + a);
                    } else if (object) {
                        assertTrue(g != 0, "the teacher sees an object: channel " + k + " row " + r + " anchor " + a);
                    } else {
                        assertEquals(0.0, g, "background: no class or box signal, channel " + k + " row " + r
                                + " anchor " + a);
                    }
                }
                background += object ? 0 : 1;
                objects += object ? 1 : 0;
            }
        }
        assertTrue(background > 0 && objects > 0);
    }

    @Test
    void trainingStepsMoveAStudentTowardItsTeacher() {
        DetectionDataset data = new SyntheticDetectionSet(new SyntheticSpec(64, 16, 4, 4, 5)).generate();
        CostModel model = new CostModel(SPACE, TestSpaces.stm32f746(), CostSettings.DEFAULT);
        Architecture architecture = SPACE.smallest().withInput(64, 0.3);
        LayerGraph graph = model.lower(architecture);
        int grid = 64 / HEAD.outputStride();
        ComputationGraph teacherNet = DetectorNetworkBuilder.build(graph, HEAD, 11, new Sgd(0.01), 0);
        // The builder starts the prediction layer at its priors (weights of sigma 0.01, objectness bias low), so two
        // new networks predict almost the same thing; a teacher worth imitating here needs outputs of its own, and
        // sees objects at some anchors (objectness bias raised) so that its classes and boxes are imitated too.
        org.deeplearning4j.nn.api.Layer prediction = teacherNet.getLayer(graph.layers().get(graph.layers().size() - 1)
                .name());
        prediction.getParam("W").muli(50);
        int stride = 5 + HEAD.classes();
        for (int a = 0; a < WIDTH / stride; a++) {
            prediction.getParam("b").putScalar(a * stride + 4, prediction.getParam("b").getDouble(a * stride + 4) + 3);
        }
        DetectionBatches plain = new DetectionBatches(data.train(), 64, grid, DetectorEvaluator.anchorPairs(HEAD),
                HEAD.classes(), 16, Augmentation.NONE, false, 3);
        INDArray images = plain.batch(0).getFeatures();
        INDArray teacherOut = teacherNet.outputSingle(images);
        List<float[]> perImage = new ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            perImage.add(teacherOut.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').data().asFloat());
        }
        DetectionBatches distill = new DetectionBatches(data.train(), 64, grid, DetectorEvaluator.anchorPairs(HEAD),
                HEAD.classes(), 16, Augmentation.NONE, false, 3, perImage);
        DataSet batch = distill.batch(0);
        assertArrayEquals(new long[] {16, 2L * WIDTH, grid, grid}, batch.getLabels().shape());

        DistillationLoss kd = new DistillationLoss(DetectorNetworkBuilder.loss(HEAD, grid * grid), 20.0, 4.0, 0.5);
        ComputationGraph student = DetectorNetworkBuilder.build(graph, HEAD, 12, new Adam(1e-2), 0,
                new DistillationLossLayer(kd));
        double before = term(kd, teacherOut, student.output(true, images)[0]);
        for (double[] only : new double[][] {{1, 0, 0}, {0, 0, 1}}) {
            DistillationLoss term = new DistillationLoss(kd.getDetection(), 1, 4.0, 0.5, only[0], only[1], only[2]);
            assertTrue(term(term, teacherOut, student.output(true, images)[0]) > 0,
                    "the teacher sees objects, so its " + (only[0] > 0 ? "classes" : "boxes") + " are imitated");
        }
        for (int step = 0; step < 30; step++) {
            student.fit(batch);
        }
        double after = term(kd, teacherOut, student.output(true, images)[0]);
        assertTrue(after < 0.5 * before, "distillation term " + before + " -> " + after);

        assertThrows(IllegalArgumentException.class, () -> new DetectionBatches(data.train(), 64, grid,
                DetectorEvaluator.anchorPairs(HEAD), HEAD.classes(), 16, Augmentation.DEFAULT, false, 3, perImage),
                "cached teacher outputs are for un-augmented images");
    }

    private static double term(DistillationLoss loss, INDArray teacher, INDArray student) {
        return Arrays.stream(loss.distillation(rows(teacher), rows(student))).sum();
    }

    /** [N, C, G, G] to one row per grid cell, [N·G·G, C], as DL4J's CnnLossLayer hands them to the loss. */
    private static INDArray rows(INDArray grid) {
        return grid.permute(0, 2, 3, 1).dup('c').reshape(grid.size(0) * grid.size(2) * grid.size(3), grid.size(1));
    }

    @Test
    void labelsWithoutTheTeacherHalfAreRefused() {
        YoloLoss detection = DetectorNetworkBuilder.loss(HEAD, 16);
        DistillationLoss loss = new DistillationLoss(detection, 1, 2, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.computeScore(
                Nd4j.zeros(4, WIDTH), Nd4j.zeros(4, WIDTH), new ActivationIdentity(), null, false));
        assertTrue(e.getMessage().contains("need ground truth and teacher outputs side by side"), e.getMessage());
    }
}
