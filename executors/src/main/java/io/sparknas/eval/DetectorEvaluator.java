package io.sparknas.eval;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.data.DetectionTensors;
import io.sparknas.data.LabeledObject;
import io.sparknas.space.HeadSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Runs a detector over labelled images and scores it: letterboxed inputs, decoding, NMS, then VOC mAP@0.5 and
 * COCO mAP@[.5:.95], both in input pixels (IoU does not change under the letterbox's uniform scale).
 */
public final class DetectorEvaluator {

    /** Boxes below this score are not kept; low, so the precision-recall curve is complete. */
    public static final double MIN_SCORE = 0.005;
    /** Same-class boxes overlapping more than this are suppressed. */
    public static final double NMS_IOU = 0.45;
    /** At most this many boxes per image. */
    public static final int MAX_PER_IMAGE = 100;

    private final HeadSpec head;
    private final int batchSize;

    public DetectorEvaluator(HeadSpec head, int batchSize) {
        this.head = head;
        this.batchSize = batchSize;
    }

    /** The head's anchors as (width, height) pairs in cells, as the label builder wants them. */
    public static List<double[]> anchorPairs(HeadSpec head) {
        return head.anchors().stream().map(a -> new double[] {a.width(), a.height()}).toList();
    }

    /** The objects of {@code images} letterboxed to {@code side}, as the ground truth detections are matched to. */
    public static List<GroundTruth> truths(List<DetectionImage> images, int side) {
        List<GroundTruth> truths = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            DetectionImage image = images.get(i);
            for (LabeledObject object : DetectionTensors.objects(image, DetectionTensors.letterbox(image, side))) {
                truths.add(new GroundTruth(i, object.classId(), object.box()));
            }
        }
        return truths;
    }

    /** Evaluates {@code network} at input side {@code side} on {@code images}. */
    public DetectionMetrics evaluate(ComputationGraph network, List<DetectionImage> images, int side) {
        return evaluate(features -> network.outputSingle(false, features), images, side);
    }

    /**
     * Evaluates any predictor of raw grids {@code [N, A·(5+C), G, G]} (a teacher through ONNX Runtime, say) at
     * input side {@code side} on {@code images}.
     */
    public DetectionMetrics evaluate(java.util.function.UnaryOperator<INDArray> predictor, List<DetectionImage> images,
                                     int side) {
        long start = System.nanoTime();
        DetectionMetrics metrics = evaluate(predictor, prepare(images, side));
        return new DetectionMetrics(metrics.map50(), metrics.mapCoco(), metrics.images(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The letterboxed input batches, their label grids and the ground truth of {@code images} at side {@code side}:
     * what every evaluation at that side reads, worth keeping when many networks are scored on the same images.
     */
    public PreparedImages prepare(List<DetectionImage> images, int side) {
        DetectionBatches batches = new DetectionBatches(images, side, side / head.outputStride(), anchorPairs(head),
                head.classes(), batchSize, Augmentation.NONE, false, 0L);
        List<INDArray> features = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            features.add(batch.getFeatures());
            labels.add(batch.getLabels());
        }
        return new PreparedImages(side, features, labels, truths(images, side));
    }

    /** Evaluates a predictor of raw grids on images prepared by {@link #prepare}. */
    public DetectionMetrics evaluate(java.util.function.UnaryOperator<INDArray> predictor, PreparedImages images) {
        long start = System.nanoTime();
        YoloDecoder decoder = new YoloDecoder(head.anchors(), head.classes(), MIN_SCORE, MAX_PER_IMAGE);
        List<Detection> detections = new ArrayList<>();
        int first = 0;
        for (INDArray batch : images.batches()) {
            INDArray output = predictor.apply(batch);
            detections.addAll(decoder.decode(output, images.side(), first, NMS_IOU));
            first += (int) batch.size(0);
        }
        double map50 = MeanAveragePrecision.voc(detections, images.truths(), head.classes(), 0.5);
        double mapCoco = MeanAveragePrecision.coco(detections, images.truths(), head.classes());
        return new DetectionMetrics(map50, mapCoco, first, (System.nanoTime() - start) / 1e9);
    }
}
