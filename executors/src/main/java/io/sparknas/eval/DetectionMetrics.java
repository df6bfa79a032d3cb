package io.sparknas.eval;

/**
 * The figures of one evaluation.
 *
 * @param map50     VOC mAP@0.5
 * @param mapCoco   COCO-style mAP@[.5:.95]
 * @param images    images evaluated
 * @param seconds   wall time of the evaluation, inference included
 */
public record DetectionMetrics(double map50, double mapCoco, int images, double seconds)
        implements java.io.Serializable {

    /** Images per second of the evaluation. */
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0;
    }
}
