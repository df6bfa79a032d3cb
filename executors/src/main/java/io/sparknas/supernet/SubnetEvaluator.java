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
import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
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

    /** With every forward pass in DL4J. */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed) {
        this(supernet, train, val, recalibrationBatches, batchSize, seed, EvalEngine.DL4J);
    }

    /** @param engine what runs the forward passes of BatchNorm recalibration and validation */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed, EvalEngine engine) {
        this(supernet, train, val, recalibrationBatches, batchSize, seed, engine, 0, 0);
    }

    private SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                            int recalibrationBatches, int batchSize, long seed, EvalEngine engine, int adaptationSteps,
                            double adaptationLearningRate) {
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
                learningRate);
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
        DetectionMetrics metrics;
        if (engine == EvalEngine.ONNXRUNTIME) {
            LayerGraph graph = supernet.lower(architecture);
            int threads = Nd4j.getEnvironment().maxThreads();
            BatchNormRecalibration.recalibrateInOnnxRuntime(network, graph, recalibrationBatches(side), threads);
            byte[] model = OnnxExport.export(network, graph, Map.of());
            try (OnnxPredictor predictor = new OnnxPredictor(model, threads)) {
                metrics = evaluator.evaluate(predictor::predict, images);
            }
        } else {
            BatchNormRecalibration.recalibrate(network, recalibrationBatches(side));
            metrics = evaluator.evaluate(dl4j(network), images);
        }
        return new SubnetScore(metrics.map50(), metrics.mapCoco(), stale, (System.nanoTime() - start) / 1e9);
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
