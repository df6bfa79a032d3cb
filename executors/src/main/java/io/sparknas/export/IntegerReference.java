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
 * The integers themselves come from {@link IntegerModel}.
 */
public final class IntegerReference {

    private final IntegerModel model;

    /** The reference of {@code model}. */
    public IntegerReference(IntegerModel model) {
        this.model = model;
    }

    /**
     * @param ranges one activation range per tensor, the input's first (it is always quantized over [0, 1]), as
     *               {@link QdqExport} uses them
     */
    public IntegerReference(FoldedDetector detector, List<ActivationRange> ranges) {
        this(IntegerModel.of(detector, ranges));
    }

    /** The integers this reference computes with. */
    public IntegerModel model() {
        return model;
    }

    /** The int8 input of one image {@code [3, S, S]} in [0, 1], as ONNX's QuantizeLinear rounds (half to even). */
    public byte[] quantizeInput(float[] image) {
        return model.quantizeInput(image);
    }

    /** Every tensor of one image, the int8 input first, the int8 prediction grid last. */
    public List<byte[]> run(float[] image) {
        return runQuantized(quantizeInput(image));
    }

    /** Every tensor from an int8 input {@code [3, S, S]}, the input first, the int8 prediction grid last. */
    public List<byte[]> runQuantized(byte[] input) {
        List<byte[]> tensors = new ArrayList<>();
        tensors.add(input);
        for (IntegerModel.Step step : model.steps()) {
            if (step instanceof IntegerModel.ConvStep conv) {
                tensors.add(conv(conv, tensors.get(conv.conv().input())));
            } else if (step instanceof IntegerModel.AddStep add) {
                tensors.add(add(add, tensors.get(add.add().left()), tensors.get(add.add().right())));
            }
        }
        return tensors;
    }

    /** The dequantized value of level {@code q} of tensor {@code t}. */
    public double dequantize(int t, int q) {
        return model.dequantize(t, q);
    }

    private byte[] conv(IntegerModel.ConvStep step, byte[] input) {
        FoldedDetector.Conv conv = step.conv();
        TensorShape in = model.detector().graph().shape(conv.input());
        TensorShape out = model.detector().graph().shape(step.output());
        int k = conv.layer().kernel();
        int stride = conv.layer().stride();
        int inPerGroup = in.channels() / conv.group();
        int outPerGroup = out.channels() / conv.group();
        byte[] result = new byte[out.channels() * out.height() * out.width()];
        byte[] w = step.weights().weights();
        for (int oc = 0; oc < out.channels(); oc++) {
            int group = oc / outPerGroup;
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    int acc = step.weights().bias()[oc];
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
                                int value = input[(ic * in.height() + iy) * in.width() + ix] - step.inputZero();
                                acc += value * w[((oc * inPerGroup + j) * k + ky) * k + kx];
                            }
                        }
                    }
                    int level = FixedPoint.multiply(acc, step.multipliers()[oc]) + step.outputZero();
                    result[(oc * out.height() + y) * out.width() + x] = clamp(level, step.low(), step.high());
                }
            }
        }
        return result;
    }

    private static byte[] add(IntegerModel.AddStep step, byte[] left, byte[] right) {
        byte[] result = new byte[left.length];
        int shift = 1 << IntegerModel.ADD_LEFT_SHIFT;
        for (int i = 0; i < left.length; i++) {
            int a = FixedPoint.multiply((left[i] - step.leftZero()) * shift, step.leftMultiplier());
            int b = FixedPoint.multiply((right[i] - step.rightZero()) * shift, step.rightMultiplier());
            result[i] = clamp(FixedPoint.multiply(a + b, step.outputMultiplier()) + step.outputZero(), -128, 127);
        }
        return result;
    }

    private static byte clamp(int value, int low, int high) {
        return (byte) Math.max(low, Math.min(high, value));
    }
}
