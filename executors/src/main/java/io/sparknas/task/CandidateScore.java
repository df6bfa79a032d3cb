package io.sparknas.task;

/**
 * What a task returns for one candidate: its inherited-weight scores and how long they took.
 *
 * @param candidateId the request's id
 * @param map50       val mAP@0.5 after BatchNorm recalibration
 * @param mapCoco     val mAP@[.5:.95] after BatchNorm recalibration
 * @param seconds     wall time of extraction, recalibration and evaluation
 * @param host        the executor that scored it
 * @param attempt     Spark's attempt number of the task (0 for the first)
 */
public record CandidateScore(String candidateId, double map50, double mapCoco, double seconds, String host,
                             int attempt) implements java.io.Serializable {
}
