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
 * @param stemWidth channels of the convolutional stem's first layer, doubling with every stride-2 layer up to
 *                  {@code dim}; 0: the first stem's widths ({@code dim / 2} at the last layer, halving back towards
 *                  the input, at least 8)
 * @param stemBlocks 3×3 stride-1 convolutions (BatchNorm, ReLU) after each stride-2 layer of the stem, from the
 *                   third on (the first two run at the largest resolutions, where they would dominate the cost)
 * @param tokensPerCell tokens along each side of one cell of the students' prediction grid (a power of two): 1, one
 *                      token per cell; 2, four tokens per cell, so attention sees the image at twice the grid's
 *                      resolution and each cell's prediction reads its 2 × 2 tokens (still aligned with the grid)
 */
public record TeacherSpec(int dim, int depth, int heads, int mlpRatio, boolean convStem, int stemWidth,
                          int stemBlocks, int tokensPerCell) implements java.io.Serializable {

    /** A teacher with one token per cell of the students' grid. */
    public TeacherSpec(int dim, int depth, int heads, int mlpRatio, boolean convStem, int stemWidth, int stemBlocks) {
        this(dim, depth, heads, mlpRatio, convStem, stemWidth, stemBlocks, 1);
    }

    /** A teacher whose tokens come from one patch-embedding convolution. */
    public TeacherSpec(int dim, int depth, int heads, int mlpRatio) {
        this(dim, depth, heads, mlpRatio, false);
    }

    /** A teacher with the first convolutional stem's widths and no stride-1 stem layers, or with patches. */
    public TeacherSpec(int dim, int depth, int heads, int mlpRatio, boolean convStem) {
        this(dim, depth, heads, mlpRatio, convStem, 0, 0);
    }

    public TeacherSpec {
        if (dim < 1 || depth < 1 || heads < 1 || mlpRatio < 1) {
            throw new IllegalArgumentException("teacher dim, depth, heads and mlpRatio must be positive, got "
                    + dim + ", " + depth + ", " + heads + ", " + mlpRatio);
        }
        if (stemWidth < 0 || stemBlocks < 0) {
            throw new IllegalArgumentException("teacher stem width and blocks must not be negative, got " + stemWidth
                    + ", " + stemBlocks);
        }
        if (tokensPerCell < 1 || Integer.bitCount(tokensPerCell) != 1) {
            throw new IllegalArgumentException("teacher tokens per cell must be a power of two (1, 2, 4, ...), got "
                    + tokensPerCell);
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("teacher dim " + dim + " is not divisible by " + heads + " heads");
        }
    }

    /**
     * The record's text, without the stem fields when they keep the first stem's defaults and without the tokens per
     * cell when it is 1, so a teacher described (and cached by this text) before they existed keeps its description.
     */
    @Override
    public String toString() {
        String text = "TeacherSpec[dim=" + dim + ", depth=" + depth + ", heads=" + heads + ", mlpRatio=" + mlpRatio
                + ", convStem=" + convStem;
        text += stemWidth == 0 && stemBlocks == 0 ? "" : ", stemWidth=" + stemWidth + ", stemBlocks=" + stemBlocks;
        return text + (tokensPerCell == 1 ? "]" : ", tokensPerCell=" + tokensPerCell + "]");
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
