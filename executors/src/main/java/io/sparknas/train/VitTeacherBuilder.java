package io.sparknas.train;

import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.net.Dl4jRuntime;
import io.sparknas.space.HeadSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds the Vision-Transformer detection teacher for knowledge distillation: a network with the student's
 * interface (input {@value DetectorNetworkBuilder#INPUT} {@code [N, 3, S, S]}, YOLO output
 * {@value DetectorNetworkBuilder#OUTPUT} {@code [N, A·(5+C), G, G]} with the same loss), so
 * {@link DetectorTrainer#run} trains it unchanged and its predictions line up cell by cell with the student's.
 *
 * <ol>
 *   <li>patch embedding: a convolution with kernel = stride = the head's output stride over
 *       {@link TeacherSpec#tokensPerCell()} {@code t}, so each token is exactly one cell of the student's
 *       {@code G × G} prediction grid ({@code t = 1}) or one of its {@code t × t} parts; or, with
 *       {@link TeacherSpec#convStem()}, a convolutional stem that reaches the same token grid by 3×3 stride-2
 *       convolutions (BatchNorm, ReLU), widening towards {@code dim}, then a 1×1 projection to {@code dim};</li>
 *   <li>the token grid is read row by row as a sequence of {@code (tG)²} tokens {@code [N, dim, (tG)²]}, plus a
 *       learned position embedding;</li>
 *   <li>{@code depth} pre-norm transformer encoder blocks ({@link TransformerEncoderLayer});</li>
 *   <li>back to the token grid {@code [N, dim, tG, tG]} and a prediction convolution with bias whose kernel and
 *       stride are {@code t}: a 1×1 convolution as in the student when {@code t = 1}, else a linear map of each
 *       cell's {@code t × t} tokens, so the output is the student's grid either way.</li>
 * </ol>
 */
public final class VitTeacherBuilder {

    /** The patch-embedding convolution. */
    public static final String PATCHES = "patches";
    /** The learned position embedding layer. */
    public static final String POSITION = "position";
    /** The 1×1 prediction convolution. */
    public static final String PREDICTION = "prediction";
    private static final String TOKENS = "tokens";
    private static final String GRID = "grid";
    private static final String BLOCK = "block";
    private static final String STEM = "stem";
    private static final int IMAGE_CHANNELS = 3;

    private VitTeacherBuilder() {
    }

    /**
     * The graph configuration of a teacher for {@code side × side} images.
     *
     * @throws IllegalArgumentException when {@code side} is not a multiple of the head's output stride, or the
     *                                  tokens per cell do not divide that stride
     */
    public static ComputationGraphConfiguration configuration(int side, HeadSpec head, TeacherSpec spec, long seed,
                                                              IUpdater updater, double weightDecay) {
        int stride = head.outputStride();
        if (side < stride || side % stride != 0) {
            throw new IllegalArgumentException("teacher input side " + side + " is not a multiple of the output stride "
                    + stride);
        }
        int grid = side / stride;
        int perCell = spec.tokensPerCell();
        if (stride % perCell != 0) {
            throw new IllegalArgumentException("the teacher's " + perCell + " tokens per cell side do not divide its "
                    + "cell of " + stride + " pixels");
        }
        int tokenStride = stride / perCell;
        int tokenGrid = grid * perCell;
        int tokens = tokenGrid * tokenGrid;
        Dl4jRuntime.configure();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same);
        if (weightDecay > 0) {
            base.weightDecay(weightDecay);
        }
        ComputationGraphConfiguration.GraphBuilder builder = base.graphBuilder()
                .addInputs(DetectorNetworkBuilder.INPUT)
                .setInputTypes(InputType.convolutional(side, side, IMAGE_CHANNELS));
        String embedded = spec.convStem() ? convStem(builder, tokenStride, spec) : DetectorNetworkBuilder.INPUT;
        int kernel = spec.convStem() ? 1 : tokenStride;
        builder.addLayer(PATCHES, new ConvolutionLayer.Builder(kernel, kernel).stride(kernel, kernel)
                        .nOut(spec.dim()).hasBias(true).activation(Activation.IDENTITY).build(), embedded)
                .addVertex(TOKENS, new ReshapeVertex('c', new int[] {-1, spec.dim(), tokens}, null), PATCHES)
                .addLayer(POSITION, new LearnedPositionEmbedding(spec.dim(), tokens), TOKENS);
        String previous = POSITION;
        for (int i = 0; i < spec.depth(); i++) {
            String block = BLOCK + i;
            builder.addLayer(block, new TransformerEncoderLayer(spec.dim(), spec.heads(), spec.mlpHidden()), previous);
            previous = block;
        }
        CnnLossLayer loss = new CnnLossLayer.Builder(DetectorNetworkBuilder.loss(head, grid * grid))
                .activation(Activation.IDENTITY).build();
        return builder
                .addVertex(GRID, new ReshapeVertex('c', new int[] {-1, spec.dim(), tokenGrid, tokenGrid}, null),
                        previous)
                .addLayer(PREDICTION, new ConvolutionLayer.Builder(perCell, perCell).stride(perCell, perCell)
                        .nOut(head.predictionChannels()).hasBias(true).activation(Activation.IDENTITY).build(), GRID)
                .addLayer(DetectorNetworkBuilder.OUTPUT, loss, PREDICTION)
                .setOutputs(DetectorNetworkBuilder.OUTPUT)
                .build();
    }

    /**
     * Adds the convolutional stem: {@code log2(stride)} 3×3 stride-2 convolutions, each with BatchNorm and ReLU,
     * their widths doubling (from {@link TeacherSpec#stemWidth()} up to {@code dim}, or the first stem's widths up
     * to {@code dim / 2}), from the third on each followed by {@link TeacherSpec#stemBlocks()} 3×3 stride-1
     * convolutions of the same width; returns the last layer's name.
     *
     * @throws IllegalArgumentException when {@code stride} is not a power of two
     */
    private static String convStem(ComputationGraphConfiguration.GraphBuilder builder, int stride, TeacherSpec spec) {
        int dim = spec.dim();
        if (Integer.bitCount(stride) != 1 || stride < 2) {
            throw new IllegalArgumentException("a convolutional stem halves the resolution per layer: the teacher's "
                    + "token stride " + stride + " (its input side over its token grid) must be a power of two");
        }
        int layers = Integer.numberOfTrailingZeros(stride);
        String previous = DetectorNetworkBuilder.INPUT;
        for (int i = 0; i < layers; i++) {
            int channels = spec.stemWidth() == 0 ? Math.max(8, (dim / 2) >> (layers - 1 - i))
                    : Math.min(dim, spec.stemWidth() << i);
            previous = stemConv(builder, STEM + i, channels, 2, previous);
            for (int b = 0; i >= 2 && b < spec.stemBlocks(); b++) {
                previous = stemConv(builder, STEM + i + "." + (b + 1), channels, 1, previous);
            }
        }
        return previous;
    }

    private static String stemConv(ComputationGraphConfiguration.GraphBuilder builder, String name, int channels,
                                   int stride, String input) {
        builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels).hasBias(false)
                        .activation(Activation.IDENTITY).build(), input)
                .addLayer(name + ".bn", new BatchNormalization.Builder().activation(Activation.RELU).build(), name);
        return name + ".bn";
    }

    /** A new teacher for {@code side × side} images, initialised from {@code seed}. */
    public static ComputationGraph build(int side, HeadSpec head, TeacherSpec spec, long seed, IUpdater updater,
                                         double weightDecay) {
        ComputationGraph network = new ComputationGraph(configuration(side, head, spec, seed, updater, weightDecay));
        network.init();
        return network;
    }
}
