package io.sparknas.net;

import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.space.Anchor;
import io.sparknas.space.HeadSpec;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds the DL4J detector for a {@link LayerGraph}: the same operators the cost model counts, so parameters and
 * MACs agree by construction (and {@link DeployedCosts} checks it on the built network).
 *
 * <ul>
 *   <li>every convolution except the last is bias-free and followed by BatchNormalization (folded into a bias
 *       when deployed) and, where the graph says so, ReLU6;</li>
 *   <li>the last convolution is the YOLO prediction layer, with a bias and no normalization;</li>
 *   <li>residual additions are element-wise vertices;</li>
 *   <li>the output is a {@code CnnLossLayer} with SparkNAS's {@link YoloLoss} (anchors from the head); the
 *       network's output is the raw prediction grid {@code [N, A·(5+C), G, G]}, decoded by
 *       {@link io.sparknas.eval.YoloDecoder}.</li>
 * </ul>
 *
 * <p>Vertices are named after the graph's layers ({@code s2.b0.dw}, {@code s2.b0.dw.bn}, {@code s2.b0.dw.act}), so a
 * layer's weights can be found by name, which the supernet relies on.
 */
public final class DetectorNetworkBuilder {

    /** The name of the network input. */
    public static final String INPUT = "input";
    /** The name of the YOLO output (loss) layer. */
    public static final String OUTPUT = "yolo";
    /** Weight of the box terms of the loss: boxes are weighted up, as YOLO's lambda_coord does. */
    static final double BOX_WEIGHT = 2.0;
    /** Weight of objectness for anchors without an object. */
    static final double NO_OBJECT_WEIGHT = 1.0;
    /** Objectness every anchor predicts before training (see {@link #initializePriors}). */
    public static final double OBJECT_PRIOR = 0.01;
    /** Standard deviation of the prediction layer's initial weights (see {@link #initializePriors}). */
    static final double PREDICTION_WEIGHT_STD = 0.01;

    private DetectorNetworkBuilder() {
    }

    /** The graph configuration for a detector. */
    public static ComputationGraphConfiguration configuration(LayerGraph graph, HeadSpec head, long seed,
                                                              IUpdater updater, double weightDecay) {
        return configuration(graph, head, seed, updater, weightDecay, new CnnLossLayer.Builder(
                loss(head, graph.output().height() * graph.output().width())).activation(Activation.IDENTITY).build());
    }

    /**
     * The graph configuration for a detector trained through another output layer (e.g. distillation); the
     * output layer must keep the raw prediction grid as the network's output.
     */
    public static ComputationGraphConfiguration configuration(LayerGraph graph, HeadSpec head, long seed,
                                                              IUpdater updater, double weightDecay,
                                                              org.deeplearning4j.nn.conf.layers.Layer output) {
        Dl4jRuntime.configure();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same);
        if (weightDecay > 0) {
            base.weightDecay(weightDecay);
        }
        ComputationGraphConfiguration.GraphBuilder builder = base.graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(graph.input().height(), graph.input().width(),
                        graph.input().channels()));
        String[] names = new String[graph.tensorCount()];
        names[0] = INPUT;
        List<Layer> layers = graph.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            String[] inputs = layer.inputs().stream().map(t -> names[t]).toArray(String[]::new);
            names[i + 1] = add(builder, layer, inputs, last);
        }
        builder.addLayer(OUTPUT, output, names[names.length - 1]);
        builder.setOutputs(OUTPUT);
        return builder.build();
    }

    /** A new, initialised detector, its prediction biases set to the priors of {@link #initializePriors}. */
    public static ComputationGraph build(LayerGraph graph, HeadSpec head, long seed, IUpdater updater,
                                         double weightDecay) {
        ComputationGraph network = new ComputationGraph(configuration(graph, head, seed, updater, weightDecay));
        network.init();
        initializePriors(network, graph, head);
        return network;
    }

    /** A new, initialised detector trained through {@code output}. */
    public static ComputationGraph build(LayerGraph graph, HeadSpec head, long seed, IUpdater updater,
                                         double weightDecay, org.deeplearning4j.nn.conf.layers.Layer output) {
        ComputationGraph network = new ComputationGraph(configuration(graph, head, seed, updater, weightDecay,
                output));
        network.init();
        initializePriors(network, graph, head);
        return network;
    }

    /**
     * Sets the prediction layer's objectness biases to the logit of {@link #OBJECT_PRIOR} and its class biases to the
     * logit of 1 / classes, and scales its weights to a standard deviation of {@link #PREDICTION_WEIGHT_STD} so the
     * outputs start at those priors: the prior-probability initialisation of Lin et al. 2017 (focal loss, section
     * 4.1). With the He initialisation of the other layers the outputs would spread by about ±1 around the bias,
     * and the mean objectness of the spread is about three times the prior.
     *
     * <p>Why: with zero biases every one of the A·G² anchors starts at objectness 0.5, so the background anchors'
     * term (a few hundred per image against a handful of objects) dominates the first epochs' loss and the shared
     * features' gradient, and the class terms, which only the responsible anchors carry, are drowned out. Started at
     * the prior, the background term is near its floor from the first step.
     */
    public static void initializePriors(ComputationGraph network, LayerGraph graph, HeadSpec head) {
        String name = graph.layers().get(graph.layers().size() - 1).name();
        INDArray bias = network.getLayer(name).getParam("b");
        if (bias == null || bias.length() != head.predictionChannels()) {
            throw new IllegalStateException("the last layer " + name + " is not the head's prediction convolution");
        }
        INDArray weights = network.getLayer(name).getParam("W");
        long fanIn = weights.length() / weights.size(0);
        weights.muli(PREDICTION_WEIGHT_STD / Math.sqrt(2.0 / fanIn));
        int stride = 5 + head.classes();
        double objectness = logit(OBJECT_PRIOR);
        double klass = logit(1.0 / Math.max(2, head.classes()));
        for (int a = 0; a < head.anchors().size(); a++) {
            bias.putScalar(a * stride + 4, objectness);
            for (int c = 0; c < head.classes(); c++) {
                bias.putScalar(a * stride + 5 + c, klass);
            }
        }
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static String add(ComputationGraphConfiguration.GraphBuilder builder, Layer layer, String[] inputs,
                              boolean last) {
        String name = layer.name();
        switch (layer.op()) {
            case CONV -> {
                builder.addLayer(name, new ConvolutionLayer.Builder(layer.kernel(), layer.kernel())
                        .stride(layer.stride(), layer.stride()).nOut(layer.out().channels())
                        .hasBias(last).activation(Activation.IDENTITY).build(), inputs);
                return last ? name : normalized(builder, layer, name);
            }
            case DEPTHWISE -> {
                builder.addLayer(name, new DepthwiseConvolution2D.Builder(layer.kernel(), layer.kernel())
                        .stride(layer.stride(), layer.stride()).depthMultiplier(1).nOut(layer.out().channels())
                        .hasBias(false).activation(Activation.IDENTITY).build(), inputs);
                return normalized(builder, layer, name);
            }
            case ADD -> {
                builder.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
                return name;
            }
            case GLOBAL_POOL -> {
                builder.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), inputs);
                return name;
            }
            case DENSE -> {
                builder.addLayer(name, new DenseLayer.Builder().nOut(layer.out().channels())
                        .activation(activation(layer)).build(), inputs);
                return name;
            }
            default -> throw new IllegalArgumentException("unsupported operator " + layer.op());
        }
    }

    private static String normalized(ComputationGraphConfiguration.GraphBuilder builder, Layer layer, String conv) {
        String bn = conv + ".bn";
        builder.addLayer(bn, new BatchNormalization.Builder().nOut(layer.out().channels()).build(), conv);
        if (layer.activation() == io.sparknas.cost.Activation.NONE) {
            return bn;
        }
        String act = conv + ".act";
        builder.addLayer(act, new ActivationLayer.Builder().activation(activation(layer)).build(), bn);
        return act;
    }

    private static Activation activation(Layer layer) {
        return layer.activation() == io.sparknas.cost.Activation.RELU6 ? Activation.RELU6 : Activation.IDENTITY;
    }

    /** The detection loss for this head on a grid of {@code gridCells} cells. */
    public static YoloLoss loss(HeadSpec head, int gridCells) {
        double[] widths = head.anchors().stream().mapToDouble(Anchor::width).toArray();
        double[] heights = head.anchors().stream().mapToDouble(Anchor::height).toArray();
        return new YoloLoss(widths, heights, head.classes(), BOX_WEIGHT, NO_OBJECT_WEIGHT, gridCells);
    }
}
