package io.sparknas.export;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.HeadSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two deployable files of a trained detector, scored: the fp32 ONNX model and the int8 QDQ model whose
 * activation ranges come from the first training images (letterboxed, not augmented) by each
 * {@link Calibration.Method}, the method with the best val mAP@0.5 kept. Every model is scored through ONNX
 * Runtime on the val and test splits, so fp32 and int8 are compared by the same engine. Used by
 * {@code sparknas export} and by the final trainings, which export on the executor that trained the model; the C
 * export ({@link #cModel}) quantizes as the kept int8 model does.
 */
public final class DeploymentExport {

    /** A model's figures; the test ones are NaN when the data has no test split. */
    public record Scores(double valMap50, double testMap50, double testMapCoco) implements java.io.Serializable {
    }

    /**
     * What the export produced.
     *
     * @param fp32              the fp32 ONNX model
     * @param int8              the int8 QDQ ONNX model, calibrated by {@code chosen}
     * @param chosen            the calibration method kept (best int8 val mAP@0.5)
     * @param calibrationImages training images the ranges were measured on
     * @param fp32Scores        the fp32 model's figures
     * @param int8Scores        each method's int8 figures
     * @param ranges            the kept int8 model's activation ranges, one per tensor
     */
    public record Result(byte[] fp32, byte[] int8, Calibration.Method chosen, int calibrationImages, Scores fp32Scores,
                         Map<Calibration.Method, Scores> int8Scores, List<ActivationRange> ranges) {

        public Result {
            int8Scores = Collections.unmodifiableMap(new EnumMap<>(int8Scores));
            ranges = List.copyOf(ranges);
        }

        /** The kept int8 model's figures. */
        public Scores chosenScores() {
            return int8Scores.get(chosen);
        }
    }

    private DeploymentExport() {
    }

    /**
     * Exports and scores {@code detector}.
     *
     * @param metadata          the models' {@code metadata_props} ({@link OnnxExport#metadata})
     * @param calibrationImages how many training images calibrate the activation ranges (at most all of them)
     * @param threads           ONNX Runtime threads for scoring
     * @param progress          one line per int8 method
     */
    public static Result of(FoldedDetector detector, Map<String, String> metadata, DetectionDataset dataset,
                            HeadSpec head, int side, int calibrationImages, int threads, Consumer<String> progress) {
        if (calibrationImages < 1) {
            throw new IllegalArgumentException("calibration images must be at least 1, got " + calibrationImages);
        }
        List<DetectionImage> images = dataset.train().subList(0, Math.min(calibrationImages, dataset.train().size()));
        DetectionBatches batches = new DetectionBatches(images, side, side / head.outputStride(),
                DetectorEvaluator.anchorPairs(head), head.classes(), 32, Augmentation.NONE, false, 0);
        List<INDArray> inputs = new ArrayList<>();
        for (int i = 0; i < batches.batchCount(); i++) {
            inputs.add(batches.batch(i).getFeatures());
        }
        Calibration calibration = Calibration.of(detector, inputs);
        DetectorEvaluator evaluator = new DetectorEvaluator(head, 32);
        byte[] fp32 = OnnxExport.model(detector, metadata, false).toByteArray();
        Scores fp32Scores = scores(new OnnxPredictor(fp32, threads), evaluator, dataset, side);
        Map<Calibration.Method, Scores> int8Scores = new EnumMap<>(Calibration.Method.class);
        byte[] best = null;
        Calibration.Method chosen = null;
        for (Calibration.Method method : Calibration.Method.values()) {
            Map<String, String> described = new LinkedHashMap<>(metadata);
            described.put("sparknas.quantization", "int8 QDQ: weights symmetric per output channel, activations "
                    + "asymmetric per tensor (" + method.configName() + " ranges over " + images.size()
                    + " training images), biases int32");
            byte[] candidate = QdqExport.model(detector, calibration.ranges(method), described, false).toByteArray();
            Scores scores = scores(OnnxPredictor.int8(candidate, threads), evaluator, dataset, side);
            int8Scores.put(method, scores);
            progress.accept(String.format(Locale.ROOT, "int8, %s calibration on %d images: val mAP@0.5 %.4f "
                    + "(fp32 %.4f)%s", method.configName(), images.size(), scores.valMap50(), fp32Scores.valMap50(),
                    Double.isNaN(scores.testMap50()) ? "" : String.format(Locale.ROOT, ", test %.4f (fp32 %.4f)",
                            scores.testMap50(), fp32Scores.testMap50())));
            if (chosen == null || scores.valMap50() > int8Scores.get(chosen).valMap50()) {
                chosen = method;
                best = candidate;
            }
        }
        return new Result(fp32, best, chosen, images.size(), fp32Scores, int8Scores, calibration.ranges(chosen));
    }

    /**
     * The C export ({@link CModelExport}) of the int8 model {@code exported} chose, with the first
     * {@code checkImages} val images (letterboxed; training images when there is no val split) as check vectors.
     */
    public static Map<String, byte[]> cModel(FoldedDetector detector, Result exported, Map<String, String> metadata,
                                             DetectionDataset dataset, HeadSpec head, int side, int checkImages) {
        IntegerModel model = IntegerModel.of(detector, exported.ranges());
        List<DetectionImage> source = dataset.val().isEmpty() ? dataset.train() : dataset.val();
        List<DetectionImage> images = source.subList(0, Math.min(checkImages, source.size()));
        List<byte[]> inputs = new ArrayList<>();
        if (!images.isEmpty()) {
            DetectionBatches batches = new DetectionBatches(images, side, side / head.outputStride(),
                    DetectorEvaluator.anchorPairs(head), head.classes(), 1, Augmentation.NONE, false, 0);
            for (int i = 0; i < batches.batchCount(); i++) {
                inputs.add(model.quantizeInput(batches.batch(i).getFeatures().dup('c').data().asFloat()));
            }
        }
        Map<String, String> described = new LinkedHashMap<>(metadata);
        described.put("sparknas.quantization", "int8, " + exported.chosen().configName() + " calibration over "
                + exported.calibrationImages() + " training images (the model's int8 ONNX export)");
        return CModelExport.files(model, described, inputs);
    }

    private static Scores scores(OnnxPredictor model, DetectorEvaluator evaluator, DetectionDataset dataset,
                                 int side) {
        try (OnnxPredictor predictor = model) {
            double val = evaluator.evaluate(predictor::predict, dataset.val(), side).map50();
            if (dataset.test().isEmpty()) {
                return new Scores(val, Double.NaN, Double.NaN);
            }
            DetectionMetrics test = evaluator.evaluate(predictor::predict, dataset.test(), side);
            return new Scores(val, test.map50(), test.mapCoco());
        }
    }
}
