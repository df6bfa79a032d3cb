package io.sparknas.train;

/**
 * The size of the Vision-Transformer detection teacher built by {@link VitTeacherBuilder}: a few numbers, so a
 * teacher can be described in configuration and recorded next to the models it taught.
 *
 * @param dim      width of every token (patch embedding and transformer blocks); a multiple of {@code heads}
 * @param depth    number of transformer encoder blocks
 * @param heads    attention heads per block; each head attends over {@code dim / heads} features
 * @param mlpRatio hidden width of each block's MLP, as a multiple of {@code dim}
 */
public record TeacherSpec(int dim, int depth, int heads, int mlpRatio) implements java.io.Serializable {

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
