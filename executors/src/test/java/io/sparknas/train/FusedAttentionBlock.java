package io.sparknas.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference for {@link TransformerEncoderLayer}: the same pre-norm block on the {@code [N, dim, T]} layout with
 * ND4J's fused {@code multi_head_dot_product_attention} op (what the layer used before its attention was written
 * from matrix products), and random parameters of the block's shapes. Used by the equivalence test and by the
 * speed comparison of {@code io.sparknas.bench.TeacherBlockBenchmark}.
 */
public final class FusedAttentionBlock {

    /** The block's parameter names, in the layer's order. */
    public static final List<String> PARAMETERS = List.of(TransformerEncoderLayer.NORM1_GAIN,
            TransformerEncoderLayer.NORM1_BIAS, TransformerEncoderLayer.QUERY, TransformerEncoderLayer.KEY,
            TransformerEncoderLayer.VALUE, TransformerEncoderLayer.OUT, TransformerEncoderLayer.NORM2_GAIN,
            TransformerEncoderLayer.NORM2_BIAS, TransformerEncoderLayer.MLP_IN, TransformerEncoderLayer.MLP_IN_BIAS,
            TransformerEncoderLayer.MLP_OUT, TransformerEncoderLayer.MLP_OUT_BIAS);

    private FusedAttentionBlock() {
    }

    /** The block on {@code input} {@code [N, dim, T]} with the fused attention op. */
    public static SDVariable define(SameDiff sd, SDVariable input, Map<String, SDVariable> p, int dim, long tokens) {
        SDVariable attentionIn = sd.nn.layerNorm(input, p.get(TransformerEncoderLayer.NORM1_GAIN),
                p.get(TransformerEncoderLayer.NORM1_BIAS), true, 1);
        SDVariable attention = sd.nn.multiHeadDotProductAttention(attentionIn, attentionIn, attentionIn,
                p.get(TransformerEncoderLayer.QUERY), p.get(TransformerEncoderLayer.KEY),
                p.get(TransformerEncoderLayer.VALUE), p.get(TransformerEncoderLayer.OUT), null, true);
        SDVariable afterAttention = input.add(attention);
        SDVariable mlpIn = sd.nn.layerNorm(afterAttention, p.get(TransformerEncoderLayer.NORM2_GAIN),
                p.get(TransformerEncoderLayer.NORM2_BIAS), true, 1);
        SDVariable tokenRows = sd.permute(mlpIn, 0, 2, 1);
        SDVariable rows = sd.reshape(tokenRows, -1, dim);
        SDVariable hidden = sd.nn.gelu(sd.mmul(rows, p.get(TransformerEncoderLayer.MLP_IN))
                .add(p.get(TransformerEncoderLayer.MLP_IN_BIAS)));
        SDVariable mlp = sd.mmul(hidden, p.get(TransformerEncoderLayer.MLP_OUT))
                .add(p.get(TransformerEncoderLayer.MLP_OUT_BIAS));
        return afterAttention.add(sd.permute(sd.reshape(mlp, -1, tokens, dim), 0, 2, 1));
    }

    /** Random parameters of the block's shapes (gains near 1), drawn from ND4J's generator seeded with {@code seed}. */
    public static Map<String, INDArray> parameters(int dim, int heads, int hidden, DataType type, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int headSize = dim / heads;
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put(TransformerEncoderLayer.NORM1_GAIN, Nd4j.randn(type, dim).muli(0.1).addi(1));
        p.put(TransformerEncoderLayer.NORM1_BIAS, Nd4j.randn(type, dim).muli(0.1));
        for (String projection : List.of(TransformerEncoderLayer.QUERY, TransformerEncoderLayer.KEY,
                TransformerEncoderLayer.VALUE)) {
            p.put(projection, Nd4j.randn(type, heads, headSize, dim).muli(2.0 / Math.sqrt(dim)));
        }
        p.put(TransformerEncoderLayer.OUT, Nd4j.randn(type, dim, dim).muli(1.0 / Math.sqrt(dim)));
        p.put(TransformerEncoderLayer.NORM2_GAIN, Nd4j.randn(type, dim).muli(0.1).addi(1));
        p.put(TransformerEncoderLayer.NORM2_BIAS, Nd4j.randn(type, dim).muli(0.1));
        p.put(TransformerEncoderLayer.MLP_IN, Nd4j.randn(type, dim, hidden).muli(1.0 / Math.sqrt(dim)));
        p.put(TransformerEncoderLayer.MLP_IN_BIAS, Nd4j.randn(type, hidden).muli(0.1));
        p.put(TransformerEncoderLayer.MLP_OUT, Nd4j.randn(type, hidden, dim).muli(1.0 / Math.sqrt(hidden)));
        p.put(TransformerEncoderLayer.MLP_OUT_BIAS, Nd4j.randn(type, dim).muli(0.1));
        return p;
    }

    /** A SameDiff graph of one block (ours or the reference) on {@code input}, its loss the sum of squared outputs. */
    public static SameDiff graph(INDArray input, Map<String, INDArray> values, int heads, int hidden, boolean fused) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("input", input.dup());
        Map<String, SDVariable> params = new LinkedHashMap<>();
        values.forEach((name, value) -> params.put(name, sd.var(name, value.dup())));
        int dim = (int) input.size(1);
        SDVariable out = (fused ? define(sd, in, params, dim, input.size(2))
                : new TransformerEncoderLayer(dim, heads, hidden).defineLayer(sd, in, params, null)).rename("out");
        out.mul(out).sum().rename("loss");
        sd.setLossVariables("loss");
        return sd;
    }
}
