package io.sparknas.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparknas.space.Anchor;
import java.util.List;
import io.sparknas.data.Box;
import io.sparknas.data.DetectionTensors;
import io.sparknas.data.LabeledObject;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Builds the labels of known boxes, turns them into the raw output a perfect detector would give, decodes it. */
class YoloDecoderTest {

    private static final List<Anchor> ANCHORS = List.of(new Anchor(1, 1), new Anchor(3, 3));
    private static final int CLASSES = 3;

    @Test
    void aPerfectOutputDecodesToTheGroundTruth() {
        int grid = 4;
        int side = 64;
        List<GroundTruth> truths = List.of(new GroundTruth(0, 2, new Box(20, 36, 44, 60)),
                new GroundTruth(0, 0, new Box(2, 3, 14, 13)), new GroundTruth(1, 1, new Box(30, 2, 62, 40)));
        List<double[]> anchors = ANCHORS.stream().map(a -> new double[] {a.width(), a.height()}).toList();
        int channels = ANCHORS.size() * (5 + CLASSES);
        int plane = grid * grid;
        float[] labels = new float[2 * channels * plane];
        for (int image = 0; image < 2; image++) {
            final int img = image;
            List<LabeledObject> objects = truths.stream().filter(t -> t.image() == img)
                    .map(t -> new LabeledObject(t.classId(), t.box())).toList();
            assertEquals(0, DetectionTensors.labels(objects, side, grid, anchors, CLASSES, labels, image * channels * plane));
        }
        // A perfect raw output: logits of the target offsets, the log size ratios as they are, objectness and
        // classes +/- 12 where the labels say 1 / 0.
        float[] raw = new float[labels.length];
        for (int i = 0; i < raw.length; i++) {
            int k = (i / plane) % (5 + CLASSES);
            boolean object = labels[i - (k - 4) * plane] == 1f;
            if (k >= 4) {
                raw[i] = labels[i] == 1f ? 12f : -12f;
            } else if (object) {
                raw[i] = k < 2 ? (float) logit(labels[i]) : labels[i];
            }
        }
        INDArray output = Nd4j.create(raw, new long[] {2, channels, grid, grid});
        List<Detection> detections = new YoloDecoder(ANCHORS, CLASSES, 0.01, 100).decode(output, side, 0, 0.45);
        assertEquals(3, detections.size());
        for (GroundTruth truth : truths) {
            Detection match = detections.stream().filter(d -> d.image() == truth.image()
                    && d.classId() == truth.classId()).findFirst().orElseThrow();
            assertEquals(1.0, match.box().iou(truth.box()), 1e-4, truth + " vs " + match);
        }
        assertEquals(1.0, MeanAveragePrecision.voc(detections, truths, CLASSES, 0.5), 1e-12);
    }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }
}
