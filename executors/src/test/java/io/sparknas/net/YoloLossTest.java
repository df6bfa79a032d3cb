package io.sparknas.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class YoloLossTest {

    private static final int CLASSES = 2;
    private static final int STRIDE = 5 + CLASSES;
    private final YoloLoss loss = new YoloLoss(new double[] {1, 3}, new double[] {1, 2}, CLASSES, 2.0, 1.0, 16);

    /** Rows of [anchor 0 | anchor 1]; row 0 has an object on anchor 1, row 1 none. */
    private static INDArray labels() {
        double[][] rows = new double[2][2 * STRIDE];
        rows[0][STRIDE] = 0.3;
        rows[0][STRIDE + 1] = 0.8;
        rows[0][STRIDE + 2] = Math.log(2.0 / 3);
        rows[0][STRIDE + 3] = Math.log(1.5 / 2);
        rows[0][STRIDE + 4] = 1;
        rows[0][STRIDE + 5 + 1] = 1;
        return Nd4j.create(rows).castTo(DataType.DOUBLE);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random random = new Random(4);
        double[][] values = new double[2][2 * STRIDE];
        for (double[] row : values) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextGaussian();
            }
        }
        INDArray pre = Nd4j.create(values).castTo(DataType.DOUBLE);
        INDArray gradient = loss.computeGradient(labels(), pre, new ActivationIdentity(), null);
        double h = 1e-3;
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2 * STRIDE; c++) {
                INDArray plus = pre.dup();
                plus.putScalar(r, c, pre.getDouble(r, c) + h);
                INDArray minus = pre.dup();
                minus.putScalar(r, c, pre.getDouble(r, c) - h);
                double numeric = (score(plus) - score(minus)) / (2 * h);
                assertEquals(numeric, gradient.getDouble(r, c), 2e-3 * Math.max(1, Math.abs(numeric)),
                        "row " + r + " column " + c);
            }
        }
    }

    @Test
    void onlyObjectnessIsLearnedWhereThereIsNoObject() {
        INDArray pre = Nd4j.ones(DataType.DOUBLE, 2, 2 * STRIDE);
        INDArray gradient = loss.computeGradient(labels(), pre, new ActivationIdentity(), null);
        for (int c = 0; c < 2 * STRIDE; c++) {
            boolean objectness = c % STRIDE == 4;
            assertEquals(objectness, gradient.getDouble(1, c) != 0, "column " + c);
        }
        assertTrue(gradient.getDouble(0, STRIDE + 4) < 0, "responsible objectness is pushed up");
        assertTrue(gradient.getDouble(0, 4) > 0, "the other anchor's objectness is pushed down");
    }

    @Test
    void perfectPredictionsReachTheMinimum() {
        INDArray labels = labels();
        INDArray pre = Nd4j.zeros(DataType.DOUBLE, 2, 2 * STRIDE).subi(20);
        pre.putScalar(0, STRIDE, Math.log(0.3 / 0.7));
        pre.putScalar(0, STRIDE + 1, Math.log(0.8 / 0.2));
        pre.putScalar(0, STRIDE + 2, labels.getDouble(0, STRIDE + 2));
        pre.putScalar(0, STRIDE + 3, labels.getDouble(0, STRIDE + 3));
        pre.putScalar(0, STRIDE + 4, 20);
        pre.putScalar(0, STRIDE + 5 + 1, 20);
        double best = score(pre);
        // the offsets' cross-entropy has its minimum at the entropy of the targets, not at 0
        // box 2/3 x 3 = 2 cells wide, 0.75 x 2 = 1.5 cells high: area 3 of 16 cells
        double entropy = 2.0 * (2 - 3.0 / 16) * (binaryEntropy(0.3) + binaryEntropy(0.8));
        assertEquals(entropy, best, 1e-4);
        assertTrue(score(pre.add(0.5)) > best + 0.1);
    }

    private double score(INDArray pre) {
        return loss.computeScore(labels(), pre, new ActivationIdentity(), null, false);
    }

    private static double binaryEntropy(double p) {
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    }
}
