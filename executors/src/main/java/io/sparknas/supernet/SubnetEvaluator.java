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

    /** With every forward pass in DL4J. */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed) {
        this(supernet, train, val, recalibrationBatches, batchSize, seed, EvalEngine.DL4J);
    }

    /** @param engine what runs the forward passes of BatchNorm recalibration and validation */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed, EvalEngine engine) {
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
        ComputationGraph network = supernet.extract(architecture, seed, new NoOp());
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
