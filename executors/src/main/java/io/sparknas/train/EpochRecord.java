package io.sparknas.train;

/**
 * What one training epoch did.
 *
 * @param epoch          1-based epoch
 * @param loss           mean training loss over the epoch's steps
 * @param valMap50       validation mAP@0.5, NaN when not evaluated this epoch
 * @param imagesPerSecond training throughput
 * @param seconds        wall time of the epoch, evaluation included
 */
public record EpochRecord(int epoch, double loss, double valMap50, double imagesPerSecond, double seconds)
        implements java.io.Serializable {
}
