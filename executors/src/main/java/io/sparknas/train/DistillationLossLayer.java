package io.sparknas.train;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code CnnLossLayer} for distillation: its labels are twice as wide as its input (the ground truth and
 * then the teacher's outputs, read by {@link DistillationLoss}). DL4J's own layer insists that labels and input have
 * the same shape; this one checks instead that they share the batch and grid and that the labels have twice the
 * channels. Everything else, including the network's output at inference, is the plain loss layer's: a student
 * trained with it is an ordinary detector.
 */
public final class DistillationLossLayer extends CnnLossLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialization. */
    public DistillationLossLayer() {
        setActivationFn(new ActivationIdentity());
        setFormat(CNN2DFormat.NCHW);
    }

    public DistillationLossLayer(DistillationLoss loss) {
        this();
        setLossFn(loss);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        Impl layer = new Impl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    /** The layer at run time: the plain loss layer with the label-shape rule above. */
    static final class Impl extends org.deeplearning4j.nn.layers.convolution.CnnLossLayer {

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            if (labels == null || labels.rank() != 4 || input.rank() != 4 || labels.size(0) != input.size(0)
                    || labels.size(2) != input.size(2) || labels.size(3) != input.size(3)
                    || labels.size(1) != 2 * input.size(1)) {
                throw new IllegalStateException("distillation labels must be [N, 2C, H, W] for predictions "
                        + java.util.Arrays.toString(input.shape()) + ", got "
                        + (labels == null ? "none" : java.util.Arrays.toString(labels.shape())));
            }
            INDArray predictions = ConvolutionUtils.reshape4dTo2d(input, workspaceMgr, ArrayType.FF_WORKING_MEM);
            INDArray targets = ConvolutionUtils.reshape4dTo2d(labels, workspaceMgr, ArrayType.FF_WORKING_MEM);
            INDArray delta = layerConf().getLossFn().computeGradient(targets, predictions.dup(predictions.ordering()),
                    layerConf().getActivationFn(), null);
            delta = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, delta);
            INDArray epsilonOut = ConvolutionUtils.reshape2dTo4d(delta, input.shape(), CNN2DFormat.NCHW, workspaceMgr,
                    ArrayType.ACTIVATION_GRAD);
            return new Pair<>(new DefaultGradient(), epsilonOut);
        }
    }
}
