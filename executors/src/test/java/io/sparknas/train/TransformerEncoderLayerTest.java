package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder block's attention, written from matrix products, against the same block built on ND4J's fused
 * {@code multi_head_dot_product_attention} with the same parameters ({@link FusedAttentionBlock}): the same outputs
 * and the same gradients, in double precision.
 */
class TransformerEncoderLayerTest {

    private static final int DIM = 16;
    private static final int HEADS = 4;
    private static final int HIDDEN = 24;

    @Test
    void theBlockComputesWhatTheFusedAttentionBlockComputesAndBackpropagatesTheSame() {
        Nd4j.getRandom().setSeed(11);
        INDArray tokens = Nd4j.randn(DataType.DOUBLE, 3, DIM, 7);
        Map<String, INDArray> values = FusedAttentionBlock.parameters(DIM, HEADS, HIDDEN, DataType.DOUBLE, 12);
        Map<String, INDArray> ours = run(tokens, values, false);
        Map<String, INDArray> fused = run(tokens, values, true);
        assertArrayEquals(new long[] {3, DIM, 7}, ours.get("out").shape());
        assertEquals(2 + FusedAttentionBlock.PARAMETERS.size(), fused.size(),
                "the output, the input's gradient, every parameter's");
        for (String name : fused.keySet()) {
            INDArray expected = fused.get(name);
            double scale = expected.amax().maxNumber().doubleValue();
            double difference = expected.sub(ours.get(name)).amax().maxNumber().doubleValue();
            assertTrue(scale > 1e-3, name + " is not trivially zero");
            assertTrue(difference <= 1e-9 * Math.max(1, scale), name + ": differs by " + difference + " at scale "
                    + scale);
        }
    }

    /** The output and the gradients of the sum of squared outputs, by this block or the fused-op reference. */
    private static Map<String, INDArray> run(INDArray tokens, Map<String, INDArray> values, boolean fused) {
        SameDiff sd = FusedAttentionBlock.graph(tokens, values, HEADS, HIDDEN, fused);
        Map<String, INDArray> result = new LinkedHashMap<>();
        result.put("out", sd.output(Collections.emptyMap(), "out").get("out"));
        List<String> wrt = new ArrayList<>(FusedAttentionBlock.PARAMETERS);
        wrt.add("input");
        sd.calculateGradients(Collections.emptyMap(), wrt).forEach((name, gradient) -> result.put("d" + name,
                gradient));
        return result;
    }
}
