package io.sparknas.space;

import java.util.List;

/**
 * The YOLO-style detection head that closes every architecture of the space.
 *
 * <p>The head is a 1×1 convolution to {@code channels × width} features (BatchNorm, ReLU6) followed by a 1×1
 * prediction convolution with bias, giving per grid cell and anchor: x, y, w, h, objectness and one score per class.
 *
 * @param channels     base channels of the head's hidden layer, before the width multiplier
 * @param classes      number of object classes
 * @param anchors      anchor priors in grid cells
 * @param outputStride the stride of the prediction grid relative to the input
 */
public record HeadSpec(int channels, int classes, List<Anchor> anchors, int outputStride) implements java.io.Serializable {

    public HeadSpec {
        if (channels < 1) {
            throw new IllegalArgumentException("head channels must be positive, got " + channels);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        if (anchors == null || anchors.isEmpty()) {
            throw new IllegalArgumentException("at least one anchor is needed");
        }
        anchors = List.copyOf(anchors);
    }

    /** Channels of the prediction tensor: anchors × (4 box terms + objectness + classes). */
    public int predictionChannels() {
        return anchors.size() * (5 + classes);
    }
}
