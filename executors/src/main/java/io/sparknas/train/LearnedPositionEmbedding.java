package io.sparknas.train;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adds a learned position embedding {@code [dim, tokens]} to a token sequence {@code [N, dim, tokens]}, so that
 * attention, which is blind to order, can tell where on the grid each token sits. Starts as small Gaussian noise
 * (standard deviation {@value #INIT_STD}, as in ViT) and is a DL4J bias parameter, so weight decay leaves it alone.
 */
public final class LearnedPositionEmbedding extends TokenSequenceLayer {

    private static final long serialVersionUID = 1L;

    /** The name of the embedding parameter. */
    public static final String EMBEDDING = "pos";
    static final double INIT_STD = 0.02;

    private final int dim;
    private final int tokens;

    /**
     * @param dim    token width
     * @param tokens sequence length, fixed: one embedding per position
     */
    @JsonCreator
    public LearnedPositionEmbedding(@JsonProperty("dim") int dim, @JsonProperty("tokens") int tokens) {
        if (dim < 1 || tokens < 1) {
            throw new IllegalArgumentException("need positive dim and tokens, got " + dim + ", " + tokens);
        }
        this.dim = dim;
        this.tokens = tokens;
    }

    @JsonProperty("dim")
    public int getDim() {
        return dim;
    }

    @JsonProperty("tokens")
    public int getTokens() {
        return tokens;
    }

    @Override
    int tokenWidth() {
        return dim;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addBiasParam(EMBEDDING, dim, tokens);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray embedding = params.get(EMBEDDING);
        embedding.assign(Nd4j.randn(embedding.dataType(), embedding.shape()).muli(INIT_STD));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        return input.add(params.get(EMBEDDING));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LearnedPositionEmbedding that && super.equals(other)
                && dim == that.dim && tokens == that.tokens;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dim, tokens);
    }
}
