package io.sparknas.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ranges of a detector's activation tensors over calibration images, for post-training quantization: the
 * fp32 model runs in ONNX Runtime with every tensor as an output, twice: once for each tensor's minimum and maximum,
 * once for a histogram of 4,096 bins over that span, from which {@link Method#PERCENTILE} clips the rarest
 * {@code 0.01 %} at each end (outliers that would otherwise stretch the scale of every other value) and
 * {@link Method#MSE} chooses the clipping with the least squared quantization error.
 */
public final class Calibration {

    /** How a tensor's range is chosen from what calibration saw. */
    public enum Method {
        /** The smallest and largest value seen. */
        MIN_MAX("min-max"),
        /** The 0.01th and 99.99th percentiles of the values seen. */
        PERCENTILE("percentile"),
        /**
         * The range, among the min-max one shrunk towards zero in steps of 2.5 % down to 20 %, whose int8 levels
         * represent the values seen with the least mean squared error (clipping the rare large values for a finer
         * step on the many small ones, measured on the histogram).
         */
        MSE("mse");

        private final String configName;

        Method(String configName) {
            this.configName = configName;
        }

        /** The name in configuration and records. */
        public String configName() {
            return configName;
        }
    }

    /** The share of values clipped at each end by {@link Method#PERCENTILE}. */
    public static final double CLIPPED = 1e-4;
    private static final int BINS = 4096;

    private final double[] low;
    private final double[] high;
    private final long[][] histograms;

    private Calibration(double[] low, double[] high, long[][] histograms) {
        this.low = low;
        this.high = high;
        this.histograms = histograms;
    }

    /**
     * Runs {@code detector} on {@code batches} (each {@code [N, 3, S, S]} in [0, 1]) and records every tensor's values:
     * tensor 0 is the input, tensor {@code t} the output of op {@code t − 1}.
     */
    public static Calibration of(FoldedDetector detector, List<INDArray> batches) {
        int tensors = detector.graph().tensorCount();
        double[] low = new double[tensors];
        double[] high = new double[tensors];
        java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
        long[][] histograms = new long[tensors][BINS];
        byte[] model = OnnxExport.model(detector, Map.of(), true).toByteArray();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model, new OrtSession.SessionOptions())) {
            for (int pass = 0; pass < 2; pass++) {
                for (INDArray batch : batches) {
                    try (OnnxTensor input = OnnxTensor.createTensor(environment,
                            FloatBuffer.wrap(batch.dup('c').data().asFloat()), batch.shape());
                         OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                        for (int t = 0; t < tensors; t++) {
                            float[] values = t == 0 ? batch.dup('c').data().asFloat()
                                    : values((OnnxTensor) result.get(OnnxExport.tensorName(detector, t)).orElseThrow());
                            if (pass == 0) {
                                for (float v : values) {
                                    low[t] = Math.min(low[t], v);
                                    high[t] = Math.max(high[t], v);
                                }
                            } else {
                                double width = Math.max(high[t] - low[t], 1e-12);
                                for (float v : values) {
                                    int bin = (int) Math.min(BINS - 1, Math.max(0, (v - low[t]) / width * BINS));
                                    histograms[t][bin]++;
                                }
                            }
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("calibration: ONNX Runtime cannot run the detector: " + e.getMessage(), e);
        }
        return new Calibration(low, high, histograms);
    }

    private static float[] values(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** The range of every tensor by {@code method}, tensor 0 (the input) first. */
    public List<ActivationRange> ranges(Method method) {
        List<ActivationRange> ranges = new ArrayList<>(low.length);
        for (int t = 0; t < low.length; t++) {
            ranges.add(switch (method) {
                case MIN_MAX -> new ActivationRange(low[t], high[t]);
                case PERCENTILE -> percentile(t);
                case MSE -> leastSquaredError(t);
            });
        }
        return ranges;
    }

    private ActivationRange percentile(int t) {
        long total = 0;
        for (long count : histograms[t]) {
            total += count;
        }
        long clip = (long) Math.floor(total * CLIPPED);
        double width = Math.max(high[t] - low[t], 1e-12) / BINS;
        int first = 0;
        long seen = 0;
        while (first < BINS - 1 && seen + histograms[t][first] <= clip) {
            seen += histograms[t][first++];
        }
        int last = BINS - 1;
        seen = 0;
        while (last > first && seen + histograms[t][last] <= clip) {
            seen += histograms[t][last--];
        }
        return new ActivationRange(low[t] + first * width, low[t] + (last + 1) * width);
    }

    private ActivationRange leastSquaredError(int t) {
        double width = Math.max(high[t] - low[t], 1e-12) / BINS;
        ActivationRange best = new ActivationRange(low[t], high[t]);
        double bestError = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= 32; step++) {
            double shrink = 1 - 0.025 * step;
            ActivationRange candidate = new ActivationRange(Math.min(low[t], 0) * shrink,
                    Math.max(high[t], 0) * shrink);
            double scale = candidate.scale();
            int zero = candidate.zeroPoint();
            double error = 0;
            for (int bin = 0; bin < BINS; bin++) {
                long count = histograms[t][bin];
                if (count == 0) {
                    continue;
                }
                double value = low[t] + (bin + 0.5) * width;
                long level = Math.max(-128, Math.min(127, Math.round(value / scale) + zero));
                double difference = value - scale * (level - zero);
                error += count * difference * difference;
            }
            if (error < bestError) {
                bestError = error;
                best = candidate;
            }
        }
        return best;
    }

    /** One line per tensor: its range by both methods, for logs. */
    public String describe(FoldedDetector detector) {
        StringBuilder text = new StringBuilder();
        List<ActivationRange> minMax = ranges(Method.MIN_MAX);
        List<ActivationRange> clipped = ranges(Method.PERCENTILE);
        for (int t = 0; t < low.length; t++) {
            text.append(String.format(Locale.ROOT, "%-20s min-max [%.3f, %.3f]  percentile [%.3f, %.3f]%n",
                    OnnxExport.tensorName(detector, t), minMax.get(t).low(), minMax.get(t).high(),
                    clipped.get(t).low(), clipped.get(t).high()));
        }
        return text.toString();
    }
}
