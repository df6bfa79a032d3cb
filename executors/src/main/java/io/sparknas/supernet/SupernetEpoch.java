package io.sparknas.supernet;

/**
 * What one supernet epoch did.
 *
 * @param epoch           1-based epoch
 * @param phase           progressive-shrinking phase (3 when every choice is sampled)
 * @param loss            mean detection loss over the subnets and steps of the epoch
 * @param subnetSteps     subnet forward/backward passes in the epoch
 * @param largestValMap50 val mAP@0.5 of the largest subnet after BN recalibration; NaN when not evaluated
 * @param smallestValMap50 val mAP@0.5 of the smallest subnet after BN recalibration; NaN when not evaluated
 * @param seconds         wall time of the epoch, evaluation included
 * @param shards          shards each batch was cut into (tasks per step; 0 in checkpoints written before shards)
 * @param communicationSeconds seconds of the epoch's steps not spent computing gradients (moving weights and
 *                        gradients between the driver and the tasks; 0 in process)
 */
public record SupernetEpoch(int epoch, int phase, double loss, int subnetSteps, double largestValMap50,
                            double smallestValMap50, double seconds, int shards, double communicationSeconds) {
}
