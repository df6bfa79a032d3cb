package io.sparknas.train;

import java.util.List;

/**
 * The outcome of training one detector.
 *
 * @param bestValMap50    best validation mAP@0.5 reached
 * @param bestEpoch       the epoch that reached it (its weights are the ones kept)
 * @param epochsRun       epochs actually run, this session and before a resume
 * @param stoppedEarly    whether patience ran out
 * @param seconds         training wall time of this session
 * @param imagesPerSecond mean training throughput of this session
 * @param history         every epoch, resumed ones included
 */
public record TrainingResult(double bestValMap50, int bestEpoch, int epochsRun, boolean stoppedEarly, double seconds,
                             double imagesPerSecond, List<EpochRecord> history) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
