package io.sparknas.cost;

/**
 * Learned parameters of a layer with BatchNorm folded into the convolution: weights plus one bias per output
 * channel.
 */
public final class Parameters {

    private Parameters() {
    }

    /** Weights of one layer (no biases). */
    public static long weights(Layer layer) {
        long k2 = (long) layer.kernel() * layer.kernel();
        return switch (layer.op()) {
            case CONV -> k2 * layer.in().channels() * layer.out().channels();
            case DEPTHWISE -> k2 * layer.out().channels();
            case DENSE -> (long) layer.in().channels() * layer.out().channels();
            case ADD, GLOBAL_POOL -> 0L;
        };
    }

    /** Biases of one layer: one per output channel of a weighted layer. */
    public static long biases(Layer layer) {
        return hasWeights(layer) ? layer.out().channels() : 0L;
    }

    /** Weights plus biases of one layer. */
    public static long of(Layer layer) {
        return weights(layer) + biases(layer);
    }

    /** Parameters of a whole graph. */
    public static long of(LayerGraph graph) {
        long total = 0;
        for (Layer layer : graph.layers()) {
            total += of(layer);
        }
        return total;
    }

    /** Whether the layer carries weights (and so a bias and quantization parameters). */
    public static boolean hasWeights(Layer layer) {
        return layer.op() == LayerOp.CONV || layer.op() == LayerOp.DEPTHWISE || layer.op() == LayerOp.DENSE;
    }
}
