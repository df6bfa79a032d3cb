package io.sparknas.run;

import io.sparknas.task.FinalExport;
import io.sparknas.task.FinalTrainingResult;

/**
 * One row of {@code final_models/}: a chosen candidate trained fully with one seed, without and with distillation,
 * each training exported as fp32 and int8 ONNX (the int8 model's test figures beside the fp32 ones). The
 * MobileNetV2-style baseline is trained with distillation only when {@code final.baseline-distillation} says so;
 * otherwise its {@code *_with_kd} columns are null.
 *
 * @param runId            the run
 * @param candidateId      the candidate
 * @param rank             its rank among the chosen (1: best val mAP in the search); 0 for the MobileNetV2-style
 *                         baseline
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
 * @param withKd           the training with distillation; null when it was not run (the baseline without
 *                         {@code final.baseline-distillation})
 * @param teacher          the teacher
 * @param teacherTestMap50 the teacher's test mAP@0.5
 * @param provenance       hosts, attempts, supernet and settings
 */
public record FinalModelRow(String runId, String candidateId, int rank, Proposer proposer, String architecture,
                            long macs, long params, long flashBytes, long peakSram, double latencyMs,
                            double searchValMap50, String init, long seed, int epochs, Training withoutKd,
                            Training withKd, String teacher, double teacherTestMap50, String provenance) {

    /** The better test mAP@0.5 of the trainings run (without and with distillation). */
    public double bestTestMap50() {
        return withKd == null ? withoutKd.testMap50() : Math.max(withoutKd.testMap50(), withKd.testMap50());
    }

    /** The training a user deploys: the one with the better val mAP@0.5 (test figures stay unseen). */
    public Training deployed() {
        return withKd != null && withKd.valMap50() > withoutKd.valMap50() ? withKd : withoutKd;
    }

    /** Training seconds of the trainings run. */
    public double trainingSeconds() {
        return withoutKd.seconds() + (withKd == null ? 0 : withKd.seconds());
    }

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
            .optionalDecimal("test_map50_with_kd", r -> distilled(r, Training::testMap50))
            .decimal("test_map_coco_without_kd", r -> r.withoutKd().testMapCoco())
            .optionalDecimal("test_map_coco_with_kd", r -> distilled(r, Training::testMapCoco))
            .decimal("val_map50_without_kd", r -> r.withoutKd().valMap50())
            .optionalDecimal("val_map50_with_kd", r -> distilled(r, Training::valMap50))
            .integer("epochs_run_without_kd", r -> r.withoutKd().epochs())
            .optionalInteger("epochs_run_with_kd", r -> distilled(r, Training::epochs))
            .decimal("seconds_without_kd", r -> r.withoutKd().seconds())
            .optionalDecimal("seconds_with_kd", r -> distilled(r, Training::seconds))
            .string("teacher", FinalModelRow::teacher)
            .decimal("teacher_test_map50", FinalModelRow::teacherTestMap50)
            .string("artifact_without_kd", r -> r.withoutKd().artifact())
            .optionalString("artifact_with_kd", r -> distilled(r, Training::artifact))
            .optionalDecimal("int8_test_map50_without_kd", r -> r.withoutKd().int8(FinalExport::int8TestMap50))
            .optionalDecimal("int8_test_map50_with_kd", r -> distilled(r, t -> t.int8(FinalExport::int8TestMap50)))
            .optionalDecimal("int8_test_map_coco_without_kd", r -> r.withoutKd().int8(FinalExport::int8TestMapCoco))
            .optionalDecimal("int8_test_map_coco_with_kd", r -> distilled(r, t -> t.int8(FinalExport::int8TestMapCoco)))
            .optionalDecimal("int8_val_map50_without_kd", r -> r.withoutKd().int8(FinalExport::int8ValMap50))
            .optionalDecimal("int8_val_map50_with_kd", r -> distilled(r, t -> t.int8(FinalExport::int8ValMap50)))
            .optionalString("int8_calibration_without_kd", r -> r.withoutKd().file(FinalExport::calibration))
            .optionalString("int8_calibration_with_kd", r -> distilled(r, t -> t.file(FinalExport::calibration)))
            .optionalString("onnx_without_kd", r -> r.withoutKd().file(FinalExport::onnx))
            .optionalString("onnx_with_kd", r -> distilled(r, t -> t.file(FinalExport::onnx)))
            .optionalString("onnx_int8_without_kd", r -> r.withoutKd().file(FinalExport::onnxInt8))
            .optionalString("onnx_int8_with_kd", r -> distilled(r, t -> t.file(FinalExport::onnxInt8)))
            .optionalString("c_model_without_kd", r -> r.withoutKd().file(FinalExport::cModel))
            .optionalString("c_model_with_kd", r -> distilled(r, t -> t.file(FinalExport::cModel)))
            .string("provenance", FinalModelRow::provenance)
            .build(row -> new FinalModelRow(row.string("run_id"), row.string("candidate_id"), row.integer("rank"),
                    Proposer.fromText(row.string("proposer")), row.string("architecture"), row.longInteger("macs"),
                    row.longInteger("params"), row.longInteger("flash_bytes"), row.longInteger("peak_sram"),
                    row.decimal("latency_ms"), row.decimal("search_val_map50"), row.string("init"),
                    row.longInteger("seed"), row.integer("epochs"), Training.stored(row, "without_kd"),
                    Training.storedIfRun(row, "with_kd"), row.string("teacher"), row.decimal("teacher_test_map50"),
                    row.string("provenance")));

    /** A value of the distilled training, or null when it was not run. */
    private static <T> T distilled(FinalModelRow row, java.util.function.Function<Training, T> value) {
        return row.withKd() == null ? null : value.apply(row.withKd());
    }

    /**
     * One training's figures.
     *
     * @param testMap50   test mAP@0.5
     * @param testMapCoco test mAP@[.5:.95]
     * @param valMap50    best val mAP@0.5
     * @param epochs      epochs run
     * @param seconds     training seconds
     * @param artifact    the trained model's path
     * @param exported    its ONNX and int8 ONNX exports and the int8 figures (null in tables written before
     *                    finalize exported)
     */
    public record Training(double testMap50, double testMapCoco, double valMap50, int epochs, double seconds,
                           String artifact, FinalExport exported) {

        /** The figures of a task's result. */
        public static Training of(FinalTrainingResult result) {
            return new Training(result.testMap50(), result.testMapCoco(), result.valMap50(), result.epochs(),
                    result.seconds(), result.artifact(), result.exported());
        }

        /** An int8 figure (null when not exported or not measured). */
        public Double int8(java.util.function.ToDoubleFunction<FinalExport> figure) {
            if (exported == null) {
                return null;
            }
            double value = figure.applyAsDouble(exported);
            return Double.isNaN(value) ? null : value;
        }

        /** A field of the exports (null when not exported). */
        public String file(java.util.function.Function<FinalExport, String> field) {
            return exported == null ? null : field.apply(exported);
        }

        /** The figures stored in the columns ending in {@code suffix} ({@code without_kd}, {@code with_kd}). */
        static Training stored(StoredRow row, String suffix) {
            String onnx = row.optionalString("onnx_" + suffix);
            FinalExport exported = onnx == null ? null : new FinalExport(onnx, row.optionalString("onnx_int8_" + suffix),
                    row.optionalString("c_model_" + suffix),
                    row.optionalString("int8_calibration_" + suffix), nanIfNull(row.optionalDecimal("int8_val_map50_"
                    + suffix)), nanIfNull(row.optionalDecimal("int8_test_map50_" + suffix)),
                    nanIfNull(row.optionalDecimal("int8_test_map_coco_" + suffix)));
            return new Training(row.decimal("test_map50_" + suffix), row.decimal("test_map_coco_" + suffix),
                    row.decimal("val_map50_" + suffix), row.integer("epochs_run_" + suffix),
                    row.decimal("seconds_" + suffix), row.string("artifact_" + suffix), exported);
        }

        /** As {@link #stored}, or null when the row's training of that suffix was not run. */
        static Training storedIfRun(StoredRow row, String suffix) {
            return row.optionalDecimal("test_map50_" + suffix) == null ? null : stored(row, suffix);
        }

        private static double nanIfNull(Double value) {
            return value == null ? Double.NaN : value;
        }
    }
}
