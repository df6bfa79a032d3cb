package io.sparknas.task;

import io.sparknas.space.Architecture;

/**
 * One candidate to score on an executor: what crosses from the driver to a task.
 *
 * @param candidateId  stable id of the candidate within its run (its canonical architecture's hash)
 * @param architecture the subnet
 * @param seed         seed of its BatchNorm recalibration batches
 */
public record CandidateRequest(String candidateId, Architecture architecture, long seed)
        implements java.io.Serializable {
}
