package io.sparknas.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.TrainingSettings;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Post-training int8 quantization of a trained detector, written as QDQ ONNX and run by ONNX Runtime. */
class QdqExportTest {

    private static final SearchSpace SPACE = TestSpaces.standard().narrow(64, 0.5);
    private static final DetectionDataset DATA = new SyntheticDetectionSet(new SyntheticSpec(64, 48, 16, 4, 21)).generate();
    private static FoldedDetector detector;
    private static ComputationGraph trained;
    private static List<INDArray> calibration;

    @BeforeAll
    static void train() {
        Architecture architecture = SPACE.sample(new java.util.SplittableRandom(4));
        LayerGraph graph = new ArchitectureLowering(SPACE).lower(architecture);
        TrainingSettings settings = new TrainingSettings(8, 16, "adam", 5e-3, 0.9, 1, 0, 0, 8, Augmentation.NONE, 3);
        trained = new DetectorTrainer(SPACE.head(), settings, null, line -> { }).train(graph, DATA.train(), DATA.val())
                .network();
        detector = FoldedDetector.of(trained, graph);
        DetectionBatches batches = new DetectionBatches(DATA.train(), 64, 4, DetectorEvaluator.anchorPairs(SPACE.head()),
                SPACE.head().classes(), 16, Augmentation.NONE, false, 1);
        calibration = new ArrayList<>();
        for (int i = 0; i < batches.batchCount(); i++) {
            calibration.add(batches.batch(i).getFeatures());
        }
    }

    private static Map<String, OnnxTensor> run(OrtSession session, INDArray images, OrtEnvironment environment,
                                               List<OrtSession.Result> keep) throws Exception {
        OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(images.dup('c').data().asFloat()),
                images.shape());
        OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input));
        keep.add(result);
        Map<String, OnnxTensor> outputs = new java.util.HashMap<>();
        result.forEach(entry -> outputs.put(entry.getKey(), (OnnxTensor) entry.getValue()));
        return outputs;
    }

    @Test
    void theInt8ModelTracksTheFp32OneAndItsActivationsHaveTheBytesTheCostModelCounts() throws Exception {
        Calibration calibrated = Calibration.of(detector, calibration);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        INDArray images = new DetectionBatches(DATA.val(), 64, 4, DetectorEvaluator.anchorPairs(SPACE.head()),
                SPACE.head().classes(), 1, Augmentation.NONE, false, 1).batch(0).getFeatures();
        INDArray fp32 = trained.outputSingle(false, images);
        long[] bytes = detector.graph().tensorBytes();
        for (Calibration.Method method : Calibration.Method.values()) {
            Onnx.ModelProto model = QdqExport.model(detector, calibrated.ranges(method), Map.of(), true);
            List<OrtSession.Result> results = new ArrayList<>();
            try (OrtSession session = environment.createSession(model.toByteArray(),
                OnnxPredictor.options(1, OnnxPredictor.INT8_OPTIMIZATION))) {
                Map<String, OnnxTensor> outputs = run(session, images, environment, results);
                float[] values = new float[(int) fp32.length()];
                outputs.get(OnnxExport.OUTPUT).getFloatBuffer().get(values);
                INDArray int8 = Nd4j.create(values, fp32.shape(), 'c');
                double meanError = int8.sub(fp32).norm1Number().doubleValue() / fp32.length();
                double spread = fp32.stdNumber().doubleValue();
                assertTrue(meanError < 0.05 * spread, method.configName() + ": mean |int8 − fp32| " + meanError
                        + " against a spread of " + spread);
                for (int t = 0; t < bytes.length; t++) {
                    OnnxTensor quantized = outputs.get(OnnxExport.tensorName(detector, t) + QdqExport.QUANTIZED);
                    assertEquals(OnnxJavaType.INT8, quantized.getInfo().type, "tensor " + t);
                    long[] shape = quantized.getInfo().getShape();
                    assertEquals(bytes[t], shape[1] * shape[2] * shape[3], OnnxExport.tensorName(detector, t)
                            + ": the int8 tensor's bytes per image are what the memory planner counts");
                }
            } finally {
                for (OrtSession.Result result : results) {
                    result.close();
                }
            }
        }
    }

    @Test
    void theJavaIntegerReferenceAgreesWithOnnxRuntimeWithinOneLevel() throws Exception {
        List<ActivationRange> ranges = Calibration.of(detector, calibration).ranges(Calibration.Method.PERCENTILE);
        Onnx.ModelProto model = QdqExport.model(detector, ranges, Map.of(), true);
        IntegerReference reference = new IntegerReference(detector, ranges);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        INDArray images = calibration.get(0);
        long compared = 0;
        long within = 0;
        long exact = 0;
        int worst = 0;
        List<OrtSession.Result> results = new ArrayList<>();
        try (OrtSession session = environment.createSession(model.toByteArray(),
                OnnxPredictor.options(1, OnnxPredictor.INT8_OPTIMIZATION))) {
            for (int n = 0; n < 8; n++) {
                INDArray image = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, n + 1));
                Map<String, OnnxTensor> outputs = run(session, image, environment, results);
                List<byte[]> ours = reference.run(image.dup('c').data().asFloat());
                int last = ours.size() - 1;
                java.nio.ByteBuffer theirs = outputs.get(OnnxExport.tensorName(detector, last) + QdqExport.QUANTIZED)
                        .getByteBuffer();
                for (int i = 0; i < ours.get(last).length; i++) {
                    int gap = Math.abs(ours.get(last)[i] - theirs.get(i));
                    worst = Math.max(worst, gap);
                    compared++;
                    within += gap <= 1 ? 1 : 0;
                    exact += gap == 0 ? 1 : 0;
                }
                java.nio.ByteBuffer input = outputs.get(OnnxExport.INPUT + QdqExport.QUANTIZED).getByteBuffer();
                for (int i = 0; i < ours.get(0).length; i++) {
                    assertEquals(input.get(i), ours.get(0)[i], "the quantized input, value " + i);
                }
            }
        } finally {
            for (OrtSession.Result result : results) {
                result.close();
            }
        }
        double share = within / (double) compared;
        System.out.printf("integer reference vs ONNX Runtime: %d outputs, %.4f %% exact, %.4f %% within one level, "
                + "largest gap %d%n", compared, 100.0 * exact / compared, 100 * share, worst);
        assertTrue(share >= 0.999, "within one level on " + share + " of the outputs (largest gap " + worst + ")");
    }

    @Test
    void fixedPointMultipliersStandForTheirRealValues() {
        for (double real : new double[] {0.0001234, 0.25, 0.5, 0.75, 0.999999, 1.5, 3.0e-6}) {
            FixedPoint.Multiplier m = FixedPoint.quantize(real);
            assertTrue(m.multiplier() >= (1 << 30), "normalized: " + m);
            assertEquals(real, m.value(), real * 1e-9);
        }
        FixedPoint.Multiplier half = FixedPoint.quantize(0.5);
        assertEquals(50, FixedPoint.multiply(100, half));
        assertEquals(-50, FixedPoint.multiply(-100, half));
        assertEquals(2, FixedPoint.multiply(3, half), "the doubling high multiply rounds a half up");
        assertEquals(-1, FixedPoint.multiply(-3, half), "-1.5 as well, as gemmlowp's does");
        FixedPoint.Multiplier eighth = FixedPoint.quantize(0.125);
        assertEquals(-2, eighth.shift());
        assertEquals(2, FixedPoint.multiply(12, eighth), "1.5 after the rounding shift: half away from zero");
        assertEquals(-2, FixedPoint.multiply(-12, eighth), "-1.5 too");
    }

    @Test
    void weightsAreSymmetricPerChannelAndBiasesSitAtTheAccumulatorsScale() {
        FoldedDetector.Conv conv = (FoldedDetector.Conv) detector.ops().get(0);
        QuantizedWeights quantized = QuantizedWeights.of(conv, 1 / 255f);
        int out = (int) conv.weightShape()[0];
        int perChannel = conv.weights().length / out;
        for (int c = 0; c < out; c++) {
            int largest = 0;
            for (int i = 0; i < perChannel; i++) {
                int level = quantized.weights()[c * perChannel + i];
                largest = Math.max(largest, Math.abs(level));
                assertEquals(conv.weights()[c * perChannel + i], level * quantized.weightScales()[c],
                        quantized.weightScales()[c] / 2 + 1e-7, "weight within half a step");
            }
            assertEquals(127, largest, "channel " + c + " uses the full symmetric range");
            assertEquals(quantized.biasScales()[c], quantized.weightScales()[c] / 255f, 1e-9);
            assertEquals(conv.bias()[c], quantized.bias()[c] * quantized.biasScales()[c],
                    quantized.biasScales()[c] / 2 + 1e-6);
        }
    }

    @Test
    void percentileClipsWhatMinMaxKeeps() {
        Calibration calibrated = Calibration.of(detector, calibration);
        List<ActivationRange> minMax = calibrated.ranges(Calibration.Method.MIN_MAX);
        List<ActivationRange> percentile = calibrated.ranges(Calibration.Method.PERCENTILE);
        int narrower = 0;
        for (int t = 1; t < minMax.size(); t++) {
            assertTrue(percentile.get(t).low() >= minMax.get(t).low() - 1e-9, "tensor " + t);
            assertTrue(percentile.get(t).high() <= minMax.get(t).high() + 1e-9, "tensor " + t);
            if (percentile.get(t).high() - percentile.get(t).low() < 0.98 * (minMax.get(t).high() - minMax.get(t).low())) {
                narrower++;
            }
        }
        assertTrue(narrower > 0, "the percentile method clips outliers somewhere");
        ActivationRange relu = new ActivationRange(0, 6);
        assertEquals(-128, relu.zeroPoint());
        assertEquals(6 / 255.0, relu.scale(), 1e-12);
    }
}
