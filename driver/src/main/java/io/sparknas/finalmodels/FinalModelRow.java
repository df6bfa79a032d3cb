package io.sparknas.finalmodels;

import io.sparknas.task.FinalTrainingResult;

/**
 * One row of {@code final_models/}: a chosen candidate trained fully with one seed, without and with distillation.
 *
 * @param runId            the run
 * @param candidateId      the candidate
 * @param rank             its rank among the chosen (1: best val mAP in the search)
 * @param proposer         who proposed it in the search
 * @param architecture     canonical architecture JSON
 * @param macs             multiply-accumulates
 * @param params           parameters
 * @param flashBytes       Flash bytes
 * @param peakSram         peak SRAM bytes under the deciding plan
 * @param latencyMs        estimated latency
 * @param searchValMap50   its inherited-weight val mAP in the search
 * @param init             {@code scratch} or {@code inherited}
 * @param seed             the training seed
 * @param epochs           the configured epochs
 * @param withoutKd        the training without distillation
 * @param withKd           the training with distillation
 * @param teacher          the teacher
 * @param teacherTestMap50 the teacher's test mAP@0.5
 * @param provenance       hosts, attempts, supernet and settings
 */
public record FinalModelRow(String runId, String candidateId, int rank, String proposer, String architecture,
                            long macs, long params, long flashBytes, long peakSram, double latencyMs,
                            double searchValMap50, String init, long seed, int epochs, Training withoutKd,
                            Training withKd, String teacher, double teacherTestMap50, String provenance) {

    /**
     * One training's figures.
     *
     * @param testMap50   test mAP@0.5
     * @param testMapCoco test mAP@[.5:.95]
     * @param valMap50    best val mAP@0.5
     * @param epochs      epochs run
     * @param seconds     training seconds
     * @param artifact    the trained model's path
     */
    public record Training(double testMap50, double testMapCoco, double valMap50, int epochs, double seconds,
                           String artifact) {

        /** The figures of a task's result. */
        public static Training of(FinalTrainingResult result) {
            return new Training(result.testMap50(), result.testMapCoco(), result.valMap50(), result.epochs(),
                    result.seconds(), result.artifact());
        }
    }
}
