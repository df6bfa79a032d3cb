package io.sparknas.export;

/**
 * A convolution's weights and bias in int8 / int32: weights symmetric per output channel ({@code scale_c =
 * max_c |w| / 127}, levels −127…127), bias at {@code s_input × scale_c} in int32, as an integer kernel adds it to its
 * int32 accumulator.
 *
 * @param weights      int8 weights in the convolution's layout
 * @param weightScales per output channel
 * @param bias         int32 per output channel
 * @param biasScales   per output channel: {@code inputScale × weightScales[c]}
 */
public record QuantizedWeights(byte[] weights, float[] weightScales, int[] bias, float[] biasScales) {

    /** Quantizes {@code conv} whose input has scale {@code inputScale}. */
    public static QuantizedWeights of(FoldedDetector.Conv conv, float inputScale) {
        int out = (int) conv.weightShape()[0];
        int perChannel = conv.weights().length / out;
        byte[] weights = new byte[conv.weights().length];
        float[] weightScales = new float[out];
        int[] bias = new int[out];
        float[] biasScales = new float[out];
        for (int c = 0; c < out; c++) {
            double max = 0;
            for (int i = 0; i < perChannel; i++) {
                max = Math.max(max, Math.abs(conv.weights()[c * perChannel + i]));
            }
            float scale = (float) (max > 0 ? max / 127 : 1.0 / 127);
            weightScales[c] = scale;
            for (int i = 0; i < perChannel; i++) {
                long level = Math.round(conv.weights()[c * perChannel + i] / scale);
                weights[c * perChannel + i] = (byte) Math.max(-127, Math.min(127, level));
            }
            biasScales[c] = inputScale * scale;
            double level = Math.rint(conv.bias()[c] / (double) biasScales[c]);
            bias[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, level));
        }
        return new QuantizedWeights(weights, weightScales, bias, biasScales);
    }
}
