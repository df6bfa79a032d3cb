package io.sparknas.export;

import io.sparknas.cost.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * What a microcontroller computes for an int8 detector, in plain Java integers: the reference that the generated C
 * code must match bit for bit. Per convolution: int32 accumulation of {@code (q_in − z_in) × w} plus the int32 bias,
 * requantized with a fixed-point multiplier and shift per output channel ({@link FixedPoint}), the output zero point
 * added and the result clamped (to the int8 range, and for ReLU6 to the levels of 0 and 6). Residual additions
 * rescale both inputs to a common scale with 20 bits of headroom, add and requantize, as TFLite Micro's int8 add
 * does. Tensors are int8 in NCHW order, one image at a time; padding reads as the input's zero point (real zero).
 */
public final class IntegerReference {

    /** Headroom bits of the residual addition's common scale. */
    static final int ADD_LEFT_SHIFT = 20;

    private final FoldedDetector detector;
    private final float[] scales;
    private final int[] zeroPoints;
    private final List<QuantizedWeights> weights = new ArrayList<>();
    private final List<FixedPoint.Multiplier[]> requantization = new ArrayList<>();

    /**
     * @param ranges one activation range per tensor, the input's first (it is always quantized over [0, 1]), as
     *               {@link QdqExport} uses them
     */
    public IntegerReference(FoldedDetector detector, List<ActivationRange> ranges) {
        this.detector = detector;
        int tensors = detector.graph().tensorCount();
        scales = new float[tensors];
        zeroPoints = new int[tensors];
        for (int t = 0; t < tensors; t++) {
            ActivationRange range = t == 0 ? new ActivationRange(0, 1) : ranges.get(t);
            scales[t] = (float) range.scale();
            zeroPoints[t] = range.zeroPoint();
        }
        for (int i = 0; i < detector.ops().size(); i++) {
            if (detector.ops().get(i) instanceof FoldedDetector.Conv conv) {
                QuantizedWeights quantized = QuantizedWeights.of(conv, scales[conv.input()]);
                FixedPoint.Multiplier[] multipliers = new FixedPoint.Multiplier[quantized.weightScales().length];
                for (int c = 0; c < multipliers.length; c++) {
                    multipliers[c] = FixedPoint.quantize((double) scales[conv.input()] * quantized.weightScales()[c]
                            / scales[i + 1]);
                }
                weights.add(quantized);
                requantization.add(multipliers);
            } else {
                weights.add(null);
                requantization.add(null);
            }
        }
    }

    /** The int8 input of one image {@code [3, S, S]} in [0, 1], as ONNX's QuantizeLinear rounds (half to even). */
    public byte[] quantizeInput(float[] image) {
        byte[] q = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            q[i] = clamp((int) Math.rint(image[i] / scales[0]) + zeroPoints[0], -128, 127);
        }
        return q;
    }

    /** Every tensor of one image, the int8 input first, the int8 prediction grid last. */
    public List<byte[]> run(float[] image) {
        List<byte[]> tensors = new ArrayList<>();
        tensors.add(quantizeInput(image));
        for (int i = 0; i < detector.ops().size(); i++) {
            FoldedDetector.Op op = detector.ops().get(i);
            if (op instanceof FoldedDetector.Conv conv) {
                tensors.add(conv(conv, tensors.get(conv.input()), i));
            } else if (op instanceof FoldedDetector.Add add) {
                tensors.add(add(tensors.get(add.left()), add.left(), tensors.get(add.right()), add.right(), i + 1));
            }
        }
        return tensors;
    }

    /** The dequantized value of level {@code q} of tensor {@code t}. */
    public double dequantize(int t, int q) {
        return scales[t] * (q - zeroPoints[t]);
    }

    private byte[] conv(FoldedDetector.Conv conv, byte[] input, int op) {
        TensorShape in = detector.graph().shape(conv.input());
        TensorShape out = detector.graph().shape(op + 1);
        QuantizedWeights quantized = weights.get(op);
        FixedPoint.Multiplier[] multipliers = requantization.get(op);
        int k = conv.layer().kernel();
        int stride = conv.layer().stride();
        int inPerGroup = in.channels() / conv.group();
        int outPerGroup = out.channels() / conv.group();
        int inZero = zeroPoints[conv.input()];
        int outZero = zeroPoints[op + 1];
        int low = conv.relu6() ? Math.max(-128, outZero) : -128;
        int high = conv.relu6() ? Math.min(127, outZero + (int) Math.rint(6 / scales[op + 1])) : 127;
        byte[] result = new byte[out.channels() * out.height() * out.width()];
        byte[] w = quantized.weights();
        for (int oc = 0; oc < out.channels(); oc++) {
            int group = oc / outPerGroup;
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    int acc = quantized.bias()[oc];
                    for (int j = 0; j < inPerGroup; j++) {
                        int ic = group * inPerGroup + j;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = y * stride - conv.pads()[0] + ky;
                            if (iy < 0 || iy >= in.height()) {
                                continue;
                            }
                            for (int kx = 0; kx < k; kx++) {
                                int ix = x * stride - conv.pads()[1] + kx;
                                if (ix < 0 || ix >= in.width()) {
                                    continue;
                                }
                                int value = input[(ic * in.height() + iy) * in.width() + ix] - inZero;
                                acc += value * w[((oc * inPerGroup + j) * k + ky) * k + kx];
                            }
                        }
                    }
                    int level = FixedPoint.multiply(acc, multipliers[oc]) + outZero;
                    result[(oc * out.height() + y) * out.width() + x] = clamp(level, low, high);
                }
            }
        }
        return result;
    }

    private byte[] add(byte[] left, int leftTensor, byte[] right, int rightTensor, int output) {
        double twiceMax = 2 * Math.max(scales[leftTensor], scales[rightTensor]);
        FixedPoint.Multiplier leftMultiplier = FixedPoint.quantize(scales[leftTensor] / twiceMax);
        FixedPoint.Multiplier rightMultiplier = FixedPoint.quantize(scales[rightTensor] / twiceMax);
        FixedPoint.Multiplier outputMultiplier = FixedPoint.quantize(twiceMax
                / ((1 << ADD_LEFT_SHIFT) * (double) scales[output]));
        byte[] result = new byte[left.length];
        for (int i = 0; i < left.length; i++) {
            int a = FixedPoint.multiply((left[i] - zeroPoints[leftTensor]) * (1 << ADD_LEFT_SHIFT), leftMultiplier);
            int b = FixedPoint.multiply((right[i] - zeroPoints[rightTensor]) * (1 << ADD_LEFT_SHIFT), rightMultiplier);
            result[i] = clamp(FixedPoint.multiply(a + b, outputMultiplier) + zeroPoints[output], -128, 127);
        }
        return result;
    }

    private static byte clamp(int value, int low, int high) {
        return (byte) Math.max(low, Math.min(high, value));
    }
}
