package io.sparknas.train;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A teacher layer written in SameDiff that maps a sequence of {@code dim}-wide tokens {@code [N, dim, T]} (DL4J's
 * recurrent NCW layout) to another of the same shape, run by {@link CorrectedSameDiffLayer} so that its gradients
 * are exact.
 */
abstract class TokenSequenceLayer extends SameDiffLayer {

    private static final long serialVersionUID = 1L;

    /** Token width, in and out. */
    abstract int tokenWidth();

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return checked(inputType);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        checked(inputType);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        CorrectedSameDiffLayer layer = new CorrectedSameDiffLayer(conf, networkDataType);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    private InputType checked(InputType input) {
        if (!(input instanceof InputType.InputTypeRecurrent sequence) || sequence.getSize() != tokenWidth()) {
            throw new IllegalStateException("layer " + getLayerName() + " needs a sequence of " + tokenWidth()
                    + "-wide tokens [N, " + tokenWidth() + ", T], got " + input);
        }
        return input;
    }
}
