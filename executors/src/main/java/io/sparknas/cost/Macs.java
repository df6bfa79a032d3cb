package io.sparknas.cost;

/**
 * Multiply-accumulate count of a layer, the unit of compute: one MAC is one multiply plus one add.
 * Additions and pooling count zero MACs, as in the MobileNet and MCUNet papers.
 */
public final class Macs {

    private Macs() {
    }

    /** MACs of one layer. */
    public static long of(Layer layer) {
        TensorShape out = layer.out();
        long k2 = (long) layer.kernel() * layer.kernel();
        return switch (layer.op()) {
            case CONV -> out.plane() * out.channels() * k2 * layer.in().channels();
            case DEPTHWISE -> out.plane() * out.channels() * k2;
            case DENSE -> (long) layer.in().channels() * out.channels();
            case ADD, GLOBAL_POOL -> 0L;
        };
    }

    /** MACs of a whole graph. */
    public static long of(LayerGraph graph) {
        long total = 0;
        for (Layer layer : graph.layers()) {
            total += of(layer);
        }
        return total;
    }
}
