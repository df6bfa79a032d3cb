package io.sparknas.train;

/**
 * The size of the Vision-Transformer detection teacher built by {@link VitTeacherBuilder}: a few numbers, so a
 * teacher can be described in configuration and recorded next to the models it taught.
 *
 * @param dim      width of every token (patch embedding and transformer blocks); a multiple of {@code heads}
 * @param depth    number of transformer encoder blocks
 * @param heads    attention heads per block; each head attends over {@code dim / heads} features
 * @param mlpRatio hidden width of each block's MLP, as a multiple of {@code dim}
 * @param convStem tokens from a convolutional stem (3×3 stride-2 convolutions with BatchNorm and ReLU, then a 1×1
 *                 projection; Xiao et al. 2021, "Early convolutions help transformers see better") instead of one
 *                 patch-embedding convolution
 */
public record TeacherSpec(int dim, int depth, int heads, int mlpRatio, boolean convStem)
        implements java.io.Serializable {

    /** A teacher whose tokens come from one patch-embedding convolution. */
    public TeacherSpec(int dim, int depth, int heads, int mlpRatio) {
        this(dim, depth, heads, mlpRatio, false);
    }

    public TeacherSpec {
        if (dim < 1 || depth < 1 || heads < 1 || mlpRatio < 1) {
            throw new IllegalArgumentException("teacher dim, depth, heads and mlpRatio must be positive, got "
                    + dim + ", " + depth + ", " + heads + ", " + mlpRatio);
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("teacher dim " + dim + " is not divisible by " + heads + " heads");
        }
    }

    /** Features per attention head. */
    public int headSize() {
        return dim / heads;
    }

    /** Hidden width of each block's MLP. */
    public int mlpHidden() {
        return mlpRatio * dim;
    }
}
