package io.sparknas.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's runtime {@link SameDiffLayer} with its 1.0.0-M2.1 backpropagation bug cancelled: there,
 * {@code ExternalErrorsFunction.doDiff} both registers the incoming error as the output's gradient and returns it
 * for accumulation, so every SameDiff layer (DL4J's own {@code SelfAttentionLayer} included) backpropagates twice
 * the true gradient, to its parameters and to the layer below, and stacked layers compound it (x2, x4, x8...).
 * Backpropagation is linear in the incoming error, so halving it gives exact gradients; the finite-difference test
 * of {@code VitTeacherBuilderTest} fails if a DL4J upgrade fixes the bug and this correction must go.
 */
final class CorrectedSameDiffLayer extends SameDiffLayer {

    CorrectedSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
    }
}
