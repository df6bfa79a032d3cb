package io.sparknas.cost;

/** The activation after a layer's (BatchNorm-folded) linear part. */
public enum Activation {
    /** Linear output, as in a projection or prediction layer. */
    NONE,
    /** min(max(x, 0), 6), the quantization-friendly ReLU of MobileNet. */
    RELU6
}
