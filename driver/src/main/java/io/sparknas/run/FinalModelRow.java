package io.sparknas.run;

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
public record FinalModelRow(String runId, String candidateId, int rank, Proposer proposer, String architecture,
                            long macs, long params, long flashBytes, long peakSram, double latencyMs,
                            double searchValMap50, String init, long seed, int epochs, Training withoutKd,
                            Training withKd, String teacher, double teacherTestMap50, String provenance) {

    /** The columns. */
    public static final RowCodec<FinalModelRow> CODEC = RowCodec.<FinalModelRow>builder()
            .string("run_id", FinalModelRow::runId)
            .string("candidate_id", FinalModelRow::candidateId)
            .integer("rank", FinalModelRow::rank)
            .string("proposer", r -> r.proposer().text())
            .string("architecture", FinalModelRow::architecture)
            .longInteger("macs", FinalModelRow::macs)
            .longInteger("params", FinalModelRow::params)
            .longInteger("flash_bytes", FinalModelRow::flashBytes)
            .longInteger("peak_sram", FinalModelRow::peakSram)
            .decimal("latency_ms", FinalModelRow::latencyMs)
            .decimal("search_val_map50", FinalModelRow::searchValMap50)
            .string("init", FinalModelRow::init)
            .longInteger("seed", FinalModelRow::seed)
            .integer("epochs", FinalModelRow::epochs)
            .decimal("test_map50_without_kd", r -> r.withoutKd().testMap50())
            .decimal("test_map50_with_kd", r -> r.withKd().testMap50())
            .decimal("test_map_coco_without_kd", r -> r.withoutKd().testMapCoco())
            .decimal("test_map_coco_with_kd", r -> r.withKd().testMapCoco())
            .decimal("val_map50_without_kd", r -> r.withoutKd().valMap50())
            .decimal("val_map50_with_kd", r -> r.withKd().valMap50())
            .integer("epochs_run_without_kd", r -> r.withoutKd().epochs())
            .integer("epochs_run_with_kd", r -> r.withKd().epochs())
            .decimal("seconds_without_kd", r -> r.withoutKd().seconds())
            .decimal("seconds_with_kd", r -> r.withKd().seconds())
            .string("teacher", FinalModelRow::teacher)
            .decimal("teacher_test_map50", FinalModelRow::teacherTestMap50)
            .string("artifact_without_kd", r -> r.withoutKd().artifact())
            .string("artifact_with_kd", r -> r.withKd().artifact())
            .string("provenance", FinalModelRow::provenance)
            .build(row -> new FinalModelRow(row.string("run_id"), row.string("candidate_id"), row.integer("rank"),
                    Proposer.fromText(row.string("proposer")), row.string("architecture"), row.longInteger("macs"),
                    row.longInteger("params"), row.longInteger("flash_bytes"), row.longInteger("peak_sram"),
                    row.decimal("latency_ms"), row.decimal("search_val_map50"), row.string("init"),
                    row.longInteger("seed"), row.integer("epochs"), Training.stored(row, "without_kd"),
                    Training.stored(row, "with_kd"), row.string("teacher"), row.decimal("teacher_test_map50"),
                    row.string("provenance")));

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

        /** The figures stored in the columns ending in {@code suffix} ({@code without_kd}, {@code with_kd}). */
        static Training stored(StoredRow row, String suffix) {
            return new Training(row.decimal("test_map50_" + suffix), row.decimal("test_map_coco_" + suffix),
                    row.decimal("val_map50_" + suffix), row.integer("epochs_run_" + suffix),
                    row.decimal("seconds_" + suffix), row.string("artifact_" + suffix));
        }
    }
}
