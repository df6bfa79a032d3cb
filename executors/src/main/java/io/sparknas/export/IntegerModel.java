package io.sparknas.export;

import java.util.ArrayList;
import java.util.List;

/**
 * An int8 detector as the integers an inference kernel computes with: per tensor its scale and zero point, per
 * convolution the int8 weights, int32 biases, a fixed-point multiplier and shift per output channel and the clamp
 * bounds, per residual addition the three multipliers of a common-scale sum. The one source of these numbers for the
 * Java {@link IntegerReference} and the generated C code ({@link CModelExport}), so the two compute the same thing by
 * construction. Arrays are owned by the model; readers never write to them.
 *
 * @param detector   the folded fp32 detector the integers come from
 * @param scales     per tensor (0 the input, quantized over [0, 1])
 * @param zeroPoints per tensor
 * @param steps      one per operator, in graph order
 */
public record IntegerModel(FoldedDetector detector, float[] scales, int[] zeroPoints, List<Step> steps) {

    /** Headroom bits of the residual addition's common scale. */
    public static final int ADD_LEFT_SHIFT = 20;

    /** One integer operator; it writes tensor {@code output()}. */
    public sealed interface Step permits ConvStep, AddStep {
        /** The tensor this step writes. */
        int output();
    }

    /**
     * A convolution: {@code clamp(multiply(bias + Σ (q_in − inputZero) · w, multiplier_c) + outputZero, low, high)}.
     *
     * @param low  the smallest output level: −128, or ReLU6's floor (the zero point)
     * @param high the largest: 127, or the level of 6 under ReLU6
     */
    public record ConvStep(FoldedDetector.Conv conv, int output, QuantizedWeights weights,
                           FixedPoint.Multiplier[] multipliers, int inputZero, int outputZero, int low, int high)
            implements Step {
    }

    /**
     * A residual addition as TFLite Micro's int8 add computes it: both inputs, less their zero points and shifted
     * left by {@link #ADD_LEFT_SHIFT}, rescaled to twice the larger input scale, summed, rescaled to the output.
     */
    public record AddStep(FoldedDetector.Add add, int output, FixedPoint.Multiplier leftMultiplier,
                          FixedPoint.Multiplier rightMultiplier, FixedPoint.Multiplier outputMultiplier, int leftZero,
                          int rightZero, int outputZero) implements Step {
    }

    /**
     * The integers of {@code detector} with activation {@code ranges}, one per tensor, the input's first (it is
     * always quantized over [0, 1]), as {@link QdqExport} uses them.
     */
    public static IntegerModel of(FoldedDetector detector, List<ActivationRange> ranges) {
        int tensors = detector.graph().tensorCount();
        if (ranges.size() != tensors) {
            throw new IllegalArgumentException(ranges.size() + " activation ranges for " + tensors + " tensors");
        }
        float[] scales = new float[tensors];
        int[] zeroPoints = new int[tensors];
        for (int t = 0; t < tensors; t++) {
            ActivationRange range = t == 0 ? new ActivationRange(0, 1) : ranges.get(t);
            scales[t] = (float) range.scale();
            zeroPoints[t] = range.zeroPoint();
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < detector.ops().size(); i++) {
            int output = i + 1;
            if (detector.ops().get(i) instanceof FoldedDetector.Conv conv) {
                QuantizedWeights quantized = QuantizedWeights.of(conv, scales[conv.input()]);
                FixedPoint.Multiplier[] multipliers = new FixedPoint.Multiplier[quantized.weightScales().length];
                for (int c = 0; c < multipliers.length; c++) {
                    multipliers[c] = FixedPoint.quantize((double) scales[conv.input()] * quantized.weightScales()[c]
                            / scales[output]);
                }
                int outZero = zeroPoints[output];
                int low = conv.relu6() ? Math.max(-128, outZero) : -128;
                int high = conv.relu6() ? Math.min(127, outZero + (int) Math.rint(6 / scales[output])) : 127;
                steps.add(new ConvStep(conv, output, quantized, multipliers, zeroPoints[conv.input()], outZero, low,
                        high));
            } else if (detector.ops().get(i) instanceof FoldedDetector.Add add) {
                double twiceMax = 2 * Math.max(scales[add.left()], scales[add.right()]);
                steps.add(new AddStep(add, output, FixedPoint.quantize(scales[add.left()] / twiceMax),
                        FixedPoint.quantize(scales[add.right()] / twiceMax),
                        FixedPoint.quantize(twiceMax / ((1 << ADD_LEFT_SHIFT) * (double) scales[output])),
                        zeroPoints[add.left()], zeroPoints[add.right()], zeroPoints[output]));
            }
        }
        return new IntegerModel(detector, scales, zeroPoints, List.copyOf(steps));
    }

    /** The int8 input of one image {@code [3, S, S]} in [0, 1], as ONNX's QuantizeLinear rounds (half to even). */
    public byte[] quantizeInput(float[] image) {
        byte[] q = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            q[i] = (byte) Math.max(-128, Math.min(127, (int) Math.rint(image[i] / scales[0]) + zeroPoints[0]));
        }
        return q;
    }

    /** The dequantized value of level {@code q} of tensor {@code t}. */
    public double dequantize(int t, int q) {
        return scales[t] * (q - zeroPoints[t]);
    }
}
