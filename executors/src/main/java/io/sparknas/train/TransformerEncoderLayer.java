package io.sparknas.train;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One pre-norm Vision-Transformer encoder block on a token sequence in DL4J's recurrent layout
 * {@code [N, dim, T]}: {@code x + MHSA(LayerNorm(x))}, then {@code x + MLP(LayerNorm(x))} with a GELU MLP of
 * {@code hidden} units. Written in SameDiff ({@link TokenSequenceLayer}) because DL4J 1.0.0-M2.1 has no transformer
 * layer (and its {@code LearnedSelfAttentionLayer} fails); the block keeps the sequence length and width, so blocks
 * stack.
 *
 * <p>Parameters: layer-norm gains (1) and biases (0); attention projections {@code Wq, Wk, Wv} of shape
 * {@code [heads, dim / heads, dim]} and {@code Wo} of shape {@code [dim, dim]} (the layout of
 * {@code multi_head_dot_product_attention}); MLP weights {@code [dim, hidden]}, {@code [hidden, dim]} and biases.
 * Weights start Xavier-normal; gains, biases and all other non-weight terms are DL4J bias parameters, so weight
 * decay leaves them alone.
 */
public final class TransformerEncoderLayer extends TokenSequenceLayer {

    private static final long serialVersionUID = 1L;

    static final String NORM1_GAIN = "ln1Gain";
    static final String NORM1_BIAS = "ln1Bias";
    static final String QUERY = "Wq";
    static final String KEY = "Wk";
    static final String VALUE = "Wv";
    static final String OUT = "Wo";
    static final String NORM2_GAIN = "ln2Gain";
    static final String NORM2_BIAS = "ln2Bias";
    static final String MLP_IN = "W1";
    static final String MLP_IN_BIAS = "b1";
    static final String MLP_OUT = "W2";
    static final String MLP_OUT_BIAS = "b2";

    private final int dim;
    private final int heads;
    private final int hidden;

    /**
     * @param dim    token width, input and output
     * @param heads  attention heads; must divide {@code dim}
     * @param hidden MLP hidden units
     */
    @JsonCreator
    public TransformerEncoderLayer(@JsonProperty("dim") int dim, @JsonProperty("heads") int heads,
                                   @JsonProperty("hidden") int hidden) {
        if (dim < 1 || heads < 1 || hidden < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("need positive dim, heads, hidden with heads dividing dim, got "
                    + dim + ", " + heads + ", " + hidden);
        }
        this.dim = dim;
        this.heads = heads;
        this.hidden = hidden;
    }

    @JsonProperty("dim")
    public int getDim() {
        return dim;
    }

    @JsonProperty("heads")
    public int getHeads() {
        return heads;
    }

    @JsonProperty("hidden")
    public int getHidden() {
        return hidden;
    }

    @Override
    int tokenWidth() {
        return dim;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        int headSize = dim / heads;
        params.addBiasParam(NORM1_GAIN, dim);
        params.addBiasParam(NORM1_BIAS, dim);
        params.addWeightParam(QUERY, heads, headSize, dim);
        params.addWeightParam(KEY, heads, headSize, dim);
        params.addWeightParam(VALUE, heads, headSize, dim);
        params.addWeightParam(OUT, dim, dim);
        params.addBiasParam(NORM2_GAIN, dim);
        params.addBiasParam(NORM2_BIAS, dim);
        params.addWeightParam(MLP_IN, dim, hidden);
        params.addBiasParam(MLP_IN_BIAS, hidden);
        params.addWeightParam(MLP_OUT, hidden, dim);
        params.addBiasParam(MLP_OUT_BIAS, dim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.get(NORM1_GAIN).assign(1);
        params.get(NORM2_GAIN).assign(1);
        params.get(NORM1_BIAS).assign(0);
        params.get(NORM2_BIAS).assign(0);
        params.get(MLP_IN_BIAS).assign(0);
        params.get(MLP_OUT_BIAS).assign(0);
        for (String projection : new String[] {QUERY, KEY, VALUE, OUT}) {
            initWeights(dim, dim, WeightInit.XAVIER, params.get(projection));
        }
        initWeights(dim, hidden, WeightInit.XAVIER, params.get(MLP_IN));
        initWeights(hidden, dim, WeightInit.XAVIER, params.get(MLP_OUT));
    }

    /**
     * The block on the {@code T} tokens of each image, computed on rows {@code [N·T, dim]} (one per token) so that
     * every projection is one matrix product. Attention is written from matrix products and a softmax rather than
     * ND4J's fused {@code multi_head_dot_product_attention}, whose backward pass is slower on the teacher's shapes
     * (bench/teacher-block.sh compares the two, docs/benchmarks.md); it computes the same function with the same
     * parameter layout ({@code TransformerEncoderLayerTest}).
     * {@code T} is read from the input's shape, which DL4J fixes when it first builds the layer's graph.
     */
    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long tokens = input.getShape()[2];
        SDVariable rows = sd.reshape(sd.permute(input, 0, 2, 1), -1, dim);
        SDVariable attentionIn = sd.nn.layerNorm(rows, params.get(NORM1_GAIN), params.get(NORM1_BIAS), true, 1);
        SDVariable afterAttention = rows.add(selfAttention(sd, attentionIn, params, tokens));
        SDVariable mlpIn = sd.nn.layerNorm(afterAttention, params.get(NORM2_GAIN), params.get(NORM2_BIAS), true, 1);
        SDVariable hiddenUnits = sd.nn.gelu(sd.mmul(mlpIn, params.get(MLP_IN)).add(params.get(MLP_IN_BIAS)));
        SDVariable mlp = sd.mmul(hiddenUnits, params.get(MLP_OUT)).add(params.get(MLP_OUT_BIAS));
        return sd.permute(sd.reshape(afterAttention.add(mlp), -1, tokens, dim), 0, 2, 1);
    }

    /**
     * Multi-head scaled dot-product self-attention over each image's {@code tokens} rows of {@code rows}
     * {@code [N·T, dim]}: per head {@code softmax(Q Kᵀ / √(dim/heads)) V}, the heads concatenated head by head and
     * multiplied by {@code Wo}, as ND4J's {@code multi_head_dot_product_attention} does with these parameters.
     */
    private SDVariable selfAttention(SameDiff sd, SDVariable rows, Map<String, SDVariable> params, long tokens) {
        int headSize = dim / heads;
        SDVariable query = perHead(sd, rows, params.get(QUERY), tokens);
        SDVariable key = perHead(sd, rows, params.get(KEY), tokens);
        SDVariable value = perHead(sd, rows, params.get(VALUE), tokens);
        SDVariable scores = sd.mmul(query, key, false, true, false).mul(1.0 / Math.sqrt(headSize));
        SDVariable context = sd.mmul(sd.nn.softmax(scores, 2), value);
        SDVariable concatenated = sd.reshape(sd.permute(sd.reshape(context, -1, heads, tokens, headSize), 0, 2, 1, 3),
                -1, dim);
        return sd.mmul(concatenated, params.get(OUT));
    }

    /** One projection {@code [heads, dim/heads, dim]} of the rows, as {@code [N·heads, T, dim/heads]}. */
    private SDVariable perHead(SameDiff sd, SDVariable rows, SDVariable weights, long tokens) {
        int headSize = dim / heads;
        SDVariable projected = sd.mmul(rows, sd.reshape(weights, heads * headSize, dim), false, true, false);
        return sd.reshape(sd.permute(sd.reshape(projected, -1, tokens, heads, headSize), 0, 2, 1, 3), -1, tokens,
                headSize);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TransformerEncoderLayer that && super.equals(other)
                && dim == that.dim && heads == that.heads && hidden == that.hidden;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dim, heads, hidden);
    }
}
