package io.sparknas.eval;

import io.sparknas.data.DetectionImage;
import io.sparknas.data.DetectionTensors;
import io.sparknas.space.HeadSpec;
import java.util.Iterator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The highest mAP any detector with a given head can reach on given images: their label grids (what the detection
 * loss trains towards) turned into the raw outputs that decode to exactly those targets, then scored like a
 * network. What it loses is what the grid cannot hold: an object whose every slot (cell and fitting anchor) is taken
 * by a larger one, and a same-class object that NMS removes under a neighbour it overlaps. A teacher that predicts
 * on the students' grid is bounded by the same figure, so a teacher-to-student ratio can be no larger than this
 * ceiling over the student's score.
 *
 * @param map50       VOC mAP@0.5 of the exact outputs
 * @param mapCoco     COCO mAP@[.5:.95] of the exact outputs
 * @param objects     labelled objects in the images at this side
 * @param withoutSlot those left with no free slot in the label grid
 */
public record LabelGridCeiling(double map50, double mapCoco, int objects, int withoutSlot) {

    /** A raw output far enough out that its sigmoid is 0 or 1 to float precision. */
    private static final float CERTAIN = 30f;
    /** Keeps the centre targets' logits finite at the edges of their range. */
    private static final double EDGE = 1e-6;

    /** The ceiling of {@code head} (anchors in cells at this side) on {@code images} letterboxed to {@code side}. */
    public static LabelGridCeiling of(HeadSpec head, List<DetectionImage> images, int side) {
        DetectorEvaluator evaluator = new DetectorEvaluator(head, 64);
        PreparedImages prepared = evaluator.prepare(images, side);
        Iterator<INDArray> labels = prepared.labels().iterator();
        // evaluate() asks for the batches' outputs in order, so the label grids are handed out in the same order.
        DetectionMetrics exact = evaluator.evaluate(batch -> exactOutputs(labels.next(), head.classes()), prepared);
        int grid = side / head.outputStride();
        List<double[]> anchors = DetectorEvaluator.anchorPairs(head);
        float[] scratch = new float[head.predictionChannels() * grid * grid];
        int withoutSlot = 0;
        for (DetectionImage image : images) {
            withoutSlot += DetectionTensors.labels(DetectionTensors.objects(image, DetectionTensors.letterbox(image,
                    side)), side, grid, anchors, head.classes(), scratch, 0);
        }
        return new LabelGridCeiling(exact.map50(), exact.mapCoco(), prepared.truths().size(), withoutSlot);
    }

    /**
     * The raw head outputs {@code [N, A·(5 + C), G, G]} that {@link YoloDecoder} decodes to exactly the targets of
     * {@code labels} (the layout {@link DetectionTensors#labels} writes): the centre targets through the logit, the
     * log size ratios as they are, objectness and classes at ±{@link #CERTAIN}.
     */
    static INDArray exactOutputs(INDArray labels, int classes) {
        long[] shape = labels.shape();
        float[] values = labels.dup('c').data().asFloat();
        int plane = (int) (shape[2] * shape[3]);
        int stride = 5 + classes;
        for (int i = 0; i < values.length; i++) {
            int channel = (i / plane) % stride;
            if (channel < 2) {
                double t = Math.min(1 - EDGE, Math.max(EDGE, values[i]));
                values[i] = (float) Math.log(t / (1 - t));
            } else if (channel >= 4) {
                values[i] = values[i] > 0.5f ? CERTAIN : -CERTAIN;
            }
        }
        return Nd4j.create(values, shape);
    }
}
