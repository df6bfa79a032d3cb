package io.sparknas.supernet;

/**
 * The inherited-weight score of one subnet.
 *
 * @param map50          val mAP@0.5 after BatchNorm recalibration
 * @param mapCoco        val mAP@[.5:.95] after BatchNorm recalibration
 * @param map50Stale     val mAP@0.5 with the inherited (not recalibrated) statistics; NaN when not measured
 * @param valLoss        the detection loss per validation image after BatchNorm recalibration (the training loss's
 *                       terms, un-augmented): a continuous score where mAP counts matched boxes; NaN unless
 *                       the evaluator was asked for it ({@link SubnetEvaluator#withValidationLoss})
 * @param seconds        wall time of extraction, recalibration and evaluation
 */
public record SubnetScore(double map50, double mapCoco, double map50Stale, double valLoss, double seconds)
        implements java.io.Serializable {
}
