package io.sparknas.cost;

/**
 * Published networks built directly in the layer-level API, to check the cost model against published figures
 * (see {@code docs/reference-figures.md}).
 */
public final class ReferenceNetworks {

    private ReferenceNetworks() {
    }

    /**
     * MobileNetV2 (Sandler et al. 2018) as torchvision builds it: 3×3 stem of 32 channels, seventeen inverted
     * residual blocks, a 1×1 convolution to 1280 channels, global pooling and a classifier.
     *
     * @param resolution input side in pixels
     * @param classes    classifier outputs (1000 for ImageNet)
     */
    public static LayerGraph mobileNetV2(int resolution, int classes) {
        int[][] settings = {
            // expand ratio t, channels c, repeats n, stride s
            {1, 16, 1, 1},
            {6, 24, 2, 2},
            {6, 32, 3, 2},
            {6, 64, 4, 2},
            {6, 96, 3, 1},
            {6, 160, 3, 2},
            {6, 320, 1, 1},
        };
        LayerGraph.Builder graph = LayerGraph.builder(new TensorShape(resolution, resolution, 3));
        int x = graph.conv("stem", graph.input(), 32, 3, 2, Activation.RELU6);
        int block = 0;
        for (int[] setting : settings) {
            for (int repeat = 0; repeat < setting[2]; repeat++) {
                int stride = repeat == 0 ? setting[3] : 1;
                int input = x;
                int inChannels = graph.shape(x).channels();
                String name = "b" + block++;
                if (setting[0] != 1) {
                    x = graph.conv(name + ".expand", x, inChannels * setting[0], 1, 1, Activation.RELU6);
                }
                x = graph.depthwise(name + ".dw", x, 3, stride, Activation.RELU6);
                x = graph.conv(name + ".project", x, setting[1], 1, 1, Activation.NONE);
                if (stride == 1 && inChannels == setting[1]) {
                    x = graph.add(name + ".add", input, x);
                }
            }
        }
        x = graph.conv("last", x, 1280, 1, 1, Activation.RELU6);
        x = graph.globalPool("pool", x);
        graph.dense("classifier", x, classes, Activation.NONE);
        return graph.build();
    }
}
