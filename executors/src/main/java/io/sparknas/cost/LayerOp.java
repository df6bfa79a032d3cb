package io.sparknas.cost;

/** The operator kinds the cost model and the network builder understand. */
public enum LayerOp {
    /** A full convolution (groups = 1); 1×1 is the pointwise case. */
    CONV,
    /** A depthwise convolution: one k×k filter per channel. */
    DEPTHWISE,
    /** Element-wise sum of two tensors of the same shape (a residual connection). */
    ADD,
    /** Global average pooling to 1×1×C. */
    GLOBAL_POOL,
    /** A fully connected layer on a 1×1×C tensor. */
    DENSE
}
