package io.sparknas.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mAP on cases computed by hand. */
class MeanAveragePrecisionTest {

    private static Box box(double x, double y, double size) {
        return new Box(x, y, x + size, y + size);
    }

    @Test
    void perfectPredictionsScoreOne() {
        List<GroundTruth> truths = List.of(new GroundTruth(0, 0, box(0, 0, 10)), new GroundTruth(0, 1, box(20, 20, 10)),
                new GroundTruth(1, 0, box(5, 5, 30)));
        List<Detection> detections = truths.stream().map(t -> new Detection(t.image(), t.classId(), 0.9, t.box())).toList();
        assertEquals(1.0, MeanAveragePrecision.voc(detections, truths, 2, 0.5), 1e-12);
        assertEquals(1.0, MeanAveragePrecision.coco(detections, truths, 2), 1e-12);
    }

    @Test
    void knownPrecisionRecallCurve() {
        // 4 objects of class 0; detections by score: TP, FP, TP, FP, TP  -> (P, R): (1, .25) (.5, .25) (.667, .5)
        // (.5, .5) (.6, .75). Envelope: 1 up to R=.25, .667 up to .5, .6 up to .75; AP = .25 + .25*2/3 + .25*.6.
        List<GroundTruth> truths = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            truths.add(new GroundTruth(i, 0, box(0, 0, 10)));
        }
        Box miss = box(50, 50, 10);
        List<Detection> detections = List.of(
                new Detection(0, 0, 0.9, box(0, 0, 10)),
                new Detection(0, 0, 0.8, miss),
                new Detection(1, 0, 0.7, box(1, 0, 10)),
                new Detection(1, 0, 0.6, miss),
                new Detection(2, 0, 0.5, box(0, 1, 10)));
        double expected = 0.25 * 1.0 + 0.25 * (2.0 / 3.0) + 0.25 * 0.6;
        assertEquals(expected, MeanAveragePrecision.voc(detections, truths, 1, 0.5), 1e-12);
    }

    @Test
    void duplicateDetectionsOfOneObjectAreFalsePositives() {
        List<GroundTruth> truths = List.of(new GroundTruth(0, 0, box(0, 0, 10)), new GroundTruth(1, 0, box(0, 0, 10)));
        List<Detection> detections = List.of(
                new Detection(0, 0, 0.9, box(0, 0, 10)),
                new Detection(0, 0, 0.8, box(0, 0, 10)),
                new Detection(1, 0, 0.7, box(0, 0, 10)));
        // TP (P 1, R .5), FP (P .5, R .5), TP (P .667, R 1): envelope 1 to R .5, then .667: AP = .5 + .5 * 2/3
        assertEquals(0.5 + 0.5 * 2.0 / 3.0, MeanAveragePrecision.voc(detections, truths, 1, 0.5), 1e-12);
        assertEquals(1.0, MeanAveragePrecision.voc(NonMaxSuppression.apply(detections, 0.5), truths, 1, 0.5), 1e-12,
                "NMS removes the duplicate");
    }

    @Test
    void classWithNoPredictionsHasApZeroAndCountsInTheMean() {
        List<GroundTruth> truths = List.of(new GroundTruth(0, 0, box(0, 0, 10)), new GroundTruth(0, 1, box(20, 20, 10)));
        List<Detection> detections = List.of(new Detection(0, 0, 0.9, box(0, 0, 10)));
        assertEquals(0.0, MeanAveragePrecision.averagePrecision(detections, truths, 1, 0.5));
        assertEquals(0.5, MeanAveragePrecision.voc(detections, truths, 2, 0.5), 1e-12);
        assertTrue(Double.isNaN(MeanAveragePrecision.averagePrecision(detections, truths, 2, 0.5)),
                "a class without ground truth has no AP and is left out of the mean");
        assertEquals(0.5, MeanAveragePrecision.voc(detections, truths, 3, 0.5), 1e-12);
    }

    @Test
    void detectionsOnImagesWithoutObjectsAreFalsePositives() {
        List<GroundTruth> truths = List.of(new GroundTruth(0, 0, box(0, 0, 10)));
        List<Detection> detections = List.of(
                new Detection(5, 0, 0.95, box(0, 0, 10)),
                new Detection(0, 0, 0.9, box(0, 0, 10)));
        // FP first (P 0, R 0), then TP (P .5, R 1): AP = .5
        assertEquals(0.5, MeanAveragePrecision.voc(detections, truths, 1, 0.5), 1e-12);
        assertEquals(0.0, MeanAveragePrecision.voc(List.of(), truths, 1, 0.5));
    }

    @Test
    void iouThresholdDecidesAHitAndCocoAveragesThresholds() {
        Box truth = box(0, 0, 10);
        Box shifted = new Box(0, 0, 10, 8); // IoU 0.8
        assertEquals(0.8, truth.iou(shifted), 1e-12);
        List<GroundTruth> truths = List.of(new GroundTruth(0, 0, truth));
        List<Detection> detections = List.of(new Detection(0, 0, 0.9, shifted));
        assertEquals(1.0, MeanAveragePrecision.voc(detections, truths, 1, 0.8), 1e-12);
        assertEquals(0.0, MeanAveragePrecision.voc(detections, truths, 1, 0.85), 1e-12);
        // hits at .50 .55 .60 .65 .70 .75 .80, misses at .85 .90 .95
        assertEquals(0.7, MeanAveragePrecision.coco(detections, truths, 1), 1e-12);
    }

    @Test
    void difficultObjectsAreNeitherHitsNorMisses() {
        List<GroundTruth> truths = List.of(new GroundTruth(0, 0, box(0, 0, 10)),
                new GroundTruth(0, 0, box(40, 40, 10), true));
        List<Detection> detections = List.of(new Detection(0, 0, 0.9, box(40, 40, 10)),
                new Detection(0, 0, 0.8, box(0, 0, 10)));
        assertEquals(1.0, MeanAveragePrecision.voc(detections, truths, 1, 0.5), 1e-12);
    }

    @Test
    void nmsIsClassWise() {
        List<Detection> detections = List.of(new Detection(0, 0, 0.9, box(0, 0, 10)),
                new Detection(0, 1, 0.8, box(0, 0, 10)), new Detection(0, 0, 0.7, box(1, 1, 10)),
                new Detection(1, 0, 0.6, box(0, 0, 10)));
        List<Detection> kept = NonMaxSuppression.apply(detections, 0.5);
        assertEquals(3, kept.size());
        assertEquals(List.of(0.9, 0.8, 0.6), kept.stream().map(Detection::score).toList());
    }
}
