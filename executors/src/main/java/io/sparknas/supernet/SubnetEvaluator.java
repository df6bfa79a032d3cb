package io.sparknas.supernet;

import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.eval.PreparedImages;
import io.sparknas.export.EvalEngine;
import io.sparknas.export.OnnxExport;
import io.sparknas.export.OnnxPredictor;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.net.YoloLoss;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Scores subnets with inherited weights: extract from the supernet, recalibrate BatchNorm on a fixed set of
 * training batches, measure mAP on the validation split — every forward pass in DL4J, or, with
 * {@code eval.engine = onnxruntime}, the recalibration's in ONNX Runtime on the subnet's
 * {@link io.sparknas.export.BatchStatisticsModel} and the validation pass on the recalibrated network exported in
 * memory. The recalibration images are chosen by the seed alone,
 * so a (checkpoint, architecture, seed) triple always gives the same score.
 */
public final class SubnetEvaluator {

    private final Supernet supernet;
    private final List<DetectionImage> train;
    private final List<DetectionImage> val;
    private final int recalibrationBatches;
    private final int batchSize;
    private final long seed;
    private final EvalEngine engine;
    private final int adaptationSteps;
    private final double adaptationLearningRate;
    private final boolean validationLoss;

    /** With every forward pass in DL4J. */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed) {
        this(supernet, train, val, recalibrationBatches, batchSize, seed, EvalEngine.DL4J);
    }

    /** @param engine what runs the forward passes of BatchNorm recalibration and validation */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed, EvalEngine engine) {
        this(supernet, train, val, recalibrationBatches, batchSize, seed, engine, 0, 0, false);
    }

    private SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                            int recalibrationBatches, int batchSize, long seed, EvalEngine engine, int adaptationSteps,
                            double adaptationLearningRate, boolean validationLoss) {
        if (train.isEmpty() || val.isEmpty()) {
            throw new IllegalArgumentException("subnet evaluation needs training images (BN recalibration) and "
                    + "validation images");
        }
        this.supernet = supernet;
        this.train = List.copyOf(train);
        this.val = List.copyOf(val);
        this.recalibrationBatches = recalibrationBatches;
        this.batchSize = batchSize;
        this.seed = seed;
        this.engine = engine;
        this.adaptationSteps = adaptationSteps;
        this.adaptationLearningRate = adaptationLearningRate;
        this.validationLoss = validationLoss;
    }

    /**
     * This evaluator, with each subnet first trained for {@code steps} steps of Adam at a constant
     * {@code learningRate} on un-augmented training batches (a seeded shuffle; BatchNorm recalibrated afterwards as
     * always). The shared weights are a starting point that the subnets of a large space each see on few steps of
     * the supernet's training; a short adaptation moves each subnet toward what it can do on its own, which is what
     * the ranking is for. The supernet itself is not changed. Zero steps: plain inherited weights.
     */
    public SubnetEvaluator withAdaptation(int steps, double learningRate) {
        if (steps < 0 || (steps > 0 && !(learningRate > 0))) {
            throw new IllegalArgumentException("adaptation needs steps >= 0 and a positive learning rate, got " + steps
                    + " steps at " + learningRate);
        }
        return new SubnetEvaluator(supernet, train, val, recalibrationBatches, batchSize, seed, engine, steps,
                learningRate, validationLoss);
    }

    /**
     * This evaluator, with each score also carrying the subnet's {@link SubnetScore#valLoss validation loss} (the
     * detection loss of the same validation pass's outputs; without it the score's loss is NaN). The search ranks by
     * mAP and does not pay for it; the ranking benchmark asks for it.
     */
    public SubnetEvaluator withValidationLoss() {
        return new SubnetEvaluator(supernet, train, val, recalibrationBatches, batchSize, seed, engine,
                adaptationSteps, adaptationLearningRate, true);
    }

    /** The number of adaptation steps each subnet gets before it is scored (0: inherited weights as they are). */
    public int adaptationSteps() {
        return adaptationSteps;
    }

    /** The inherited-weight score of {@code architecture}. */
    public SubnetScore evaluate(Architecture architecture) {
        return evaluate(architecture, false);
    }

    /**
     * The inherited-weight score; with {@code measureStale} also the mAP before recalibration (costs a second pass
     * over the validation split).
     */
    public SubnetScore evaluate(Architecture architecture, boolean measureStale) {
        long start = System.nanoTime();
        ComputationGraph network = adaptationSteps > 0 ? adapted(architecture)
                : supernet.extract(architecture, seed, new NoOp());
        HeadSpec head = supernet.space().head();
        DetectorEvaluator evaluator = new DetectorEvaluator(head, batchSize);
        int side = architecture.resolution();
        PreparedImages images = ScoringInputs.shared().validation(val, side, batchSize,
                () -> evaluator.prepare(val, side));
        double stale = measureStale ? evaluator.evaluate(dl4j(network), images).map50() : Double.NaN;
        List<INDArray> outputs = new ArrayList<>(images.batches().size());
        DetectionMetrics metrics;
        if (engine == EvalEngine.ONNXRUNTIME) {
            LayerGraph graph = supernet.lower(architecture);
            int threads = Nd4j.getEnvironment().maxThreads();
            BatchNormRecalibration.recalibrateInOnnxRuntime(network, graph, recalibrationBatches(side), threads);
            byte[] model = OnnxExport.export(network, graph, Map.of());
            try (OnnxPredictor predictor = new OnnxPredictor(model, threads)) {
                metrics = evaluator.evaluate(keeping(predictor::predict, outputs), images);
            }
        } else {
            BatchNormRecalibration.recalibrate(network, recalibrationBatches(side));
            metrics = evaluator.evaluate(keeping(dl4j(network), outputs), images);
        }
        double loss = validationLoss ? validationLoss(outputs, images) : Double.NaN;
        return new SubnetScore(metrics.map50(), metrics.mapCoco(), stale, loss, (System.nanoTime() - start) / 1e9);
    }

    /** {@code predictor}, adding each output it gives to {@code outputs} when the validation loss is asked for. */
    private UnaryOperator<INDArray> keeping(UnaryOperator<INDArray> predictor, List<INDArray> outputs) {
        if (!validationLoss) {
            return predictor;
        }
        return features -> {
            INDArray output = predictor.apply(features);
            outputs.add(output);
            return output;
        };
    }

    /**
     * The detection loss per validation image of the raw outputs of the validation batches, in order, against the
     * label grids {@code images} carries.
     */
    private double validationLoss(List<INDArray> outputs, PreparedImages images) {
        List<INDArray> labels = images.labels();
        if (labels.size() != outputs.size()) {
            throw new IllegalStateException("validation gave " + outputs.size() + " output batches for "
                    + labels.size() + " label batches");
        }
        HeadSpec head = supernet.space().head();
        int grid = images.side() / head.outputStride();
        YoloLoss loss = DetectorNetworkBuilder.loss(head, grid * grid);
        double sum = 0;
        for (int b = 0; b < outputs.size(); b++) {
            sum += loss.computeScore(cellRows(labels.get(b)), cellRows(outputs.get(b)), new ActivationIdentity(), null,
                    false);
        }
        return sum / val.size();
    }

    /** The subnet with inherited weights after {@link #withAdaptation adaptation}. */
    private ComputationGraph adapted(Architecture architecture) {
        ComputationGraph network = supernet.extract(architecture, seed, new Adam(adaptationLearningRate));
        HeadSpec head = supernet.space().head();
        int side = architecture.resolution();
        DetectionBatches batches = new DetectionBatches(train, side, side / head.outputStride(),
                DetectorEvaluator.anchorPairs(head), head.classes(), batchSize, Augmentation.NONE, true,
                Seeds.derive(seed, "adaptation"));
        int epoch = 0;
        for (int step = 0; step < adaptationSteps; step++) {
            int index = step % batches.batchCount();
            if (index == 0) {
                batches.startEpoch(++epoch);
            }
            network.fit(batches.batch(index));
        }
        return network;
    }

    /** {@code [N, C, G, G]} as {@code [N·G·G, C]}, one row per cell: the layout the head's loss layer hands its loss. */
    private static INDArray cellRows(INDArray grid) {
        return grid.permute(0, 2, 3, 1).dup('c').reshape('c', grid.size(0) * grid.size(2) * grid.size(3),
                grid.size(1));
    }

    private static UnaryOperator<INDArray> dl4j(ComputationGraph network) {
        return features -> network.outputSingle(false, features);
    }

    /**
     * The recalibration batches at {@code side}: the first batches of a seeded shuffle, not augmented (kept per JVM
     * by {@link ScoringInputs}, read-only).
     */
    List<DataSet> recalibrationBatches(int side) {
        return ScoringInputs.shared().recalibration(train, side, batchSize, recalibrationBatches, seed, () -> {
            HeadSpec head = supernet.space().head();
            DetectionBatches batches = new DetectionBatches(train, side, side / head.outputStride(),
                    DetectorEvaluator.anchorPairs(head), head.classes(), batchSize, Augmentation.NONE, true,
                    Seeds.derive(seed, "recalibration"));
            List<DataSet> chosen = new ArrayList<>();
            for (int i = 0; i < Math.min(recalibrationBatches, batches.batchCount()); i++) {
                chosen.add(batches.batch(i));
            }
            return chosen;
        });
    }
}
