package io.sparknas.supernet;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.export.EvalEngine;
import io.sparknas.export.OnnxExport;
import io.sparknas.export.OnnxPredictor;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Scores subnets with inherited weights: extract from the supernet, recalibrate BatchNorm on a fixed set of
 * training batches, measure mAP on the validation split (the forward pass in DL4J, or in ONNX Runtime on the
 * recalibrated network exported in memory). The recalibration images are chosen by the seed alone,
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

    /** With DL4J's validation forward pass. */
    public SubnetEvaluator(Supernet supernet, List<DetectionImage> train, List<DetectionImage> val,
                           int recalibrationBatches, int batchSize, long seed) {
        this(supernet, train, val, recalibrationBatches, batchSize, seed, EvalEngine.DL4J);
    }

    /** @param engine what runs the validation forward pass after BatchNorm recalibration */
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
        double stale = measureStale ? evaluator.evaluate(network, val, side).map50() : Double.NaN;
        BatchNormRecalibration.recalibrate(network, recalibrationBatches(side));
        DetectionMetrics metrics;
        if (engine == EvalEngine.ONNXRUNTIME) {
            byte[] model = OnnxExport.export(network, supernet.lower(architecture), Map.of());
            try (OnnxPredictor predictor = new OnnxPredictor(model, Nd4j.getEnvironment().maxThreads())) {
                metrics = evaluator.evaluate(predictor::predict, val, side);
            }
        } else {
            metrics = evaluator.evaluate(network, val, side);
        }
        return new SubnetScore(metrics.map50(), metrics.mapCoco(), stale, (System.nanoTime() - start) / 1e9);
    }

    /** The recalibration batches at {@code side}: the first batches of a seeded shuffle, not augmented. */
    List<DataSet> recalibrationBatches(int side) {
        HeadSpec head = supernet.space().head();
        DetectionBatches batches = new DetectionBatches(train, side, side / head.outputStride(),
                DetectorEvaluator.anchorPairs(head), head.classes(), batchSize, Augmentation.NONE, true,
                Seeds.derive(seed, "recalibration"));
        List<DataSet> chosen = new ArrayList<>();
        for (int i = 0; i < Math.min(recalibrationBatches, batches.batchCount()); i++) {
            chosen.add(batches.batch(i));
        }
        return chosen;
    }
}
