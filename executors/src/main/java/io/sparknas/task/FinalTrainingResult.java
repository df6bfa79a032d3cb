package io.sparknas.task;

/**
 * What one final training gave.
 *
 * @param candidateId the candidate
 * @param distill     whether it learned from the teacher
 * @param seed        its seed
 * @param valMap50    best val mAP@0.5 (the epoch kept)
 * @param testMap50   test mAP@0.5 of the kept weights
 * @param testMapCoco test mAP@[.5:.95]
 * @param epochs      epochs run
 * @param bestEpoch   the epoch whose weights were kept
 * @param seconds     training seconds
 * @param artifact    where the trained model was written
 * @param host        the executor host
 * @param attempt     the Spark task attempt
 * @param reused      whether it was read from the model's {@link FinalTrainingRecord} instead of trained now
 * @param exported    the ONNX and int8 ONNX files written beside the model (null until exported)
 */
public record FinalTrainingResult(String candidateId, boolean distill, long seed, double valMap50, double testMap50,
                                  double testMapCoco, int epochs, int bestEpoch, double seconds, String artifact,
                                  String host, int attempt, boolean reused, FinalExport exported)
        implements java.io.Serializable {

    /** The same result with its exported files. */
    public FinalTrainingResult withExported(FinalExport files) {
        return new FinalTrainingResult(candidateId, distill, seed, valMap50, testMap50, testMapCoco, epochs, bestEpoch,
                seconds, artifact, host, attempt, reused, files);
    }
}
