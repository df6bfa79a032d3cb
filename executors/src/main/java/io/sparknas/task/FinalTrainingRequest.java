package io.sparknas.task;

import io.sparknas.space.Architecture;

/**
 * One full training of a chosen candidate.
 *
 * @param candidateId  the candidate's id in {@code candidates/}
 * @param rank         its rank among the chosen (1: best)
 * @param architecture the candidate
 * @param distill      whether it learns from the teacher
 * @param seed         initialisation and shuffling seed
 */
public record FinalTrainingRequest(String candidateId, int rank, Architecture architecture, boolean distill,
                                   long seed) implements java.io.Serializable {

    /** The artifact's file name: {@code <id>-kd-seed<N>.zip} or {@code <id>-plain-seed<N>.zip}. */
    public String artifactName() {
        return candidateId + (distill ? "-kd" : "-plain") + "-seed" + seed + ".zip";
    }
}
