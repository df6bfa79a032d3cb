package io.sparknas.train;

import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.AugmentedViews;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionDataset;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.HeadSpec;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trains one chosen candidate fully, from scratch or from inherited weights, with or without distillation from a
 * teacher, and scores it on the test split (never used for any choice). Both runs see the same inputs, so that the
 * comparison measures distillation alone: the plain images, or a fixed set of augmented views of them
 * ({@link AugmentedViews}) for which the teacher's outputs were computed ahead — never augmentation drawn afresh,
 * which the cached teacher outputs could not follow. The returned network is a plain detector whichever loss
 * trained it.
 */
public final class FinalTrainer {

    private final HeadSpec head;
    private final TrainingSettings settings;
    private final DistillationSettings distillation;
    private final Consumer<String> progress;

    public FinalTrainer(HeadSpec head, TrainingSettings settings, DistillationSettings distillation,
                        Consumer<String> progress) {
        this.head = head;
        this.settings = settings;
        this.distillation = distillation;
        this.progress = progress;
    }

    /**
     * What training gave.
     *
     * @param network   the plain detector with the best validation weights
     * @param training  the training record (epochs, best val mAP, seconds)
     * @param test      test-split metrics
     */
    public record Outcome(ComputationGraph network, TrainingResult training, DetectionMetrics test) {
    }

    /**
     * Trains the detector of {@code graph}.
     *
     * @param teacherOutputs per training image, the teacher's raw outputs; null trains without distillation
     * @param inherited      a network of the same architecture whose weights to start from; null for scratch
     */
    public Outcome train(LayerGraph graph, DetectionDataset data, List<float[]> teacherOutputs,
                         ComputationGraph inherited) {
        return train(graph, data, null, teacherOutputs, inherited);
    }

    /**
     * Trains the detector of {@code graph} on augmented views of the training images.
     *
     * @param views          the views every epoch cycles through; null for the plain images
     * @param teacherOutputs per view and image, view-major (per image without views), the teacher's raw outputs;
     *                       null trains without distillation
     * @param inherited      a network of the same architecture whose weights to start from; null for scratch
     */
    public Outcome train(LayerGraph graph, DetectionDataset data, AugmentedViews views, List<float[]> teacherOutputs,
                         ComputationGraph inherited) {
        int side = graph.input().height();
        int grid = side / head.outputStride();
        int iterations = (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
        ComputationGraph network;
        if (teacherOutputs == null) {
            network = DetectorNetworkBuilder.build(graph, head, settings.seed(), settings.updater(iterations),
                    settings.weightDecay());
        } else {
            DistillationLoss loss = new DistillationLoss(DetectorNetworkBuilder.loss(head, grid * grid), distillation);
            network = DetectorNetworkBuilder.build(graph, head, settings.seed(), settings.updater(iterations),
                    settings.weightDecay(), new DistillationLossLayer(loss));
        }
        if (inherited != null) {
            if (inherited.numParams() != network.numParams()) {
                throw new IllegalArgumentException("inherited weights have " + inherited.numParams()
                        + " parameters, the architecture needs " + network.numParams());
            }
            network.setParams(inherited.params().dup());
        }
        DetectionBatches batches = views == null
                ? new DetectionBatches(data.train(), side, grid, DetectorEvaluator.anchorPairs(head), head.classes(),
                        settings.batchSize(), Augmentation.NONE, true, settings.seed(), teacherOutputs)
                : new DetectionBatches(data.train(), side, grid, DetectorEvaluator.anchorPairs(head), head.classes(),
                        settings.batchSize(), views, true, settings.seed(), teacherOutputs);
        DetectorTrainer trainer = new DetectorTrainer(head, settings, null, progress);
        DetectorTrainer.Trained trained = trainer.run(network, side, batches, data.val(),
                new TrainingCheckpoint.State(0, -1, 0, List.of()));
        ComputationGraph best = trained.network();
        if (teacherOutputs != null) {
            ComputationGraph plain = DetectorNetworkBuilder.build(graph, head, settings.seed(),
                    settings.updater(iterations), settings.weightDecay());
            plain.setParams(best.params().dup());
            best = plain;
        }
        DetectionMetrics test = new DetectorEvaluator(head, Math.max(8, settings.batchSize()))
                .evaluate(best, data.test(), side);
        return new Outcome(best, trained.result(), test);
    }
}
