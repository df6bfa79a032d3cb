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

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable attentionIn = sd.nn.layerNorm(input, params.get(NORM1_GAIN), params.get(NORM1_BIAS), true, 1);
        SDVariable attention = sd.nn.multiHeadDotProductAttention(attentionIn, attentionIn, attentionIn,
                params.get(QUERY), params.get(KEY), params.get(VALUE), params.get(OUT), null, true);
        SDVariable afterAttention = input.add(attention);
        SDVariable mlpIn = sd.nn.layerNorm(afterAttention, params.get(NORM2_GAIN), params.get(NORM2_BIAS), true, 1);
        SDVariable tokenRows = sd.permute(mlpIn, 0, 2, 1);
        SDVariable rows = sd.reshape(tokenRows, -1, dim);
        SDVariable hiddenUnits = sd.nn.gelu(sd.mmul(rows, params.get(MLP_IN)).add(params.get(MLP_IN_BIAS)));
        SDVariable mlp = sd.mmul(hiddenUnits, params.get(MLP_OUT)).add(params.get(MLP_OUT_BIAS));
        return afterAttention.add(sd.permute(sd.reshape(mlp, sd.shape(tokenRows)), 0, 2, 1));
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
