package io.sparknas.train;

import io.sparknas.cost.LayerGraph;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.HeadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trains one detector: the configured optimizer with a warm-up cosine learning rate and weight decay, validation
 * mAP@0.5 every few epochs, early stopping when it stops improving (never while it is still at the floor of the
 * metric), a checkpoint after every epoch (resumable),
 * and one progress line per epoch with loss, val mAP, images/s and ETA. The returned network carries the best
 * validation weights.
 */
public final class DetectorTrainer {

    /**
     * Best val mAP@0.5 below which early stopping waits. At the floor of the metric a network's score moves by a few
     * thousandths of noise from one evaluation to the next, so "no better score for {@code patience} evaluations"
     * says nothing about whether it is still learning: a run that has not left the floor trains its full epochs.
     */
    public static final double EARLY_STOP_FLOOR = 0.02;

    private final HeadSpec head;
    private final TrainingSettings settings;
    private final TrainingCheckpoint checkpoint;
    private final Consumer<String> progress;
    private final BatchFit fit;

    /**
     * @param checkpointFolder where checkpoints go; null for none (then no resume either)
     * @param progress         receives one line per epoch
     */
    public DetectorTrainer(HeadSpec head, TrainingSettings settings, Path checkpointFolder, Consumer<String> progress) {
        this(head, settings, checkpointFolder == null ? null : new TrainingCheckpoint(checkpointFolder), progress,
                BatchFit.IN_PROCESS);
    }

    private DetectorTrainer(HeadSpec head, TrainingSettings settings, TrainingCheckpoint checkpoint,
                            Consumer<String> progress, BatchFit fit) {
        this.head = head;
        this.settings = settings;
        this.checkpoint = checkpoint;
        this.progress = progress;
        this.fit = fit;
    }

    /** The same trainer, each batch's step taken by {@code batchFit} (e.g. data-parallel on Spark). */
    public DetectorTrainer withFit(BatchFit batchFit) {
        return new DetectorTrainer(head, settings, checkpoint, progress, batchFit);
    }

    /** The trained network and what training did. */
    public record Trained(ComputationGraph network, TrainingResult result) {
    }

    /** Trains {@code graph} from scratch, or resumes from the checkpoint folder when it holds one. */
    public Trained train(LayerGraph graph, List<DetectionImage> train, List<DetectionImage> val) {
        return train(graph, train, val, null);
    }

    /**
     * Trains {@code graph} starting from the weights in {@code init} ({@link InitialWeights}; null: a random
     * initialisation), or resumes from the checkpoint folder when it holds one (then {@code init} is not read: the
     * checkpoint already started from it).
     *
     * @throws UncheckedIOException when {@code init} cannot be read
     */
    public Trained train(LayerGraph graph, List<DetectionImage> train, List<DetectionImage> val, Path init) {
        int iterationsPerEpoch = (train.size() + settings.batchSize() - 1) / settings.batchSize();
        if (checkpoint != null && checkpoint.exists()) {
            TrainingCheckpoint.State state = checkpoint.loadState();
            progress.accept(String.format(Locale.ROOT, "resuming after epoch %d (best val mAP@0.5 %.4f at epoch %d)",
                    state.epoch(), state.bestValMap50(), state.bestEpoch()));
            ComputationGraph restored = withSchedule(checkpoint.loadLast(), graph, iterationsPerEpoch);
            return run(restored, graph.input().height(), train, val, state);
        }
        ComputationGraph network = DetectorNetworkBuilder.build(graph, head, settings.seed(),
                settings.updater(iterationsPerEpoch), settings.weightDecay());
        if (init != null) {
            try {
                progress.accept(InitialWeights.apply(network, graph, init).describe());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return run(network, graph.input().height(), train, val, new TrainingCheckpoint.State(0, -1, 0, List.of()));
    }

    /**
     * {@code restored} with this training's learning-rate schedule. A checkpoint carries the schedule it was started
     * with, so resuming it with more (or fewer) epochs would otherwise run the added epochs at the schedule's final
     * rate; here the cosine is laid over the new length instead (a rate that rises at the resume, as when any
     * schedule is lengthened), announced on the progress line. The weights, BatchNorm statistics, optimizer state and
     * iteration count are carried over into a network built with the new schedule.
     */
    ComputationGraph withSchedule(ComputationGraph restored, LayerGraph graph, int iterationsPerEpoch) {
        int last = settings.epochs() * iterationsPerEpoch - 1;
        double wanted = settings.updater(iterationsPerEpoch).getLearningRate(last, 0);
        boolean same = java.util.Arrays.stream(restored.getLayers()).map(l -> l.conf().getLayer())
                .filter(l -> l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer)
                .map(l -> ((org.deeplearning4j.nn.conf.layers.BaseLayer) l).getIUpdater())
                .allMatch(updater -> updater.getLearningRate(last, 0) == wanted);
        if (same) {
            return restored;
        }
        ComputationGraph rebuilt = DetectorNetworkBuilder.build(graph, head, settings.seed(),
                settings.updater(iterationsPerEpoch), settings.weightDecay());
        if (rebuilt.numParams() != restored.numParams()) {
            throw new IllegalArgumentException("the checkpoint's network has " + restored.numParams()
                    + " parameters, this architecture " + rebuilt.numParams());
        }
        rebuilt.setParams(restored.params());
        rebuilt.getUpdater().getStateViewArray().assign(restored.getUpdater().getStateViewArray());
        rebuilt.getConfiguration().setIterationCount(restored.getConfiguration().getIterationCount());
        rebuilt.getConfiguration().setEpochCount(restored.getConfiguration().getEpochCount());
        progress.accept(String.format(Locale.ROOT, "the learning-rate schedule now runs over %d epochs: the checkpoint "
                + "was started for another length", settings.epochs()));
        return rebuilt;
    }

    /** Continues training an existing network (e.g. with inherited weights) from {@code state}. */
    public Trained run(ComputationGraph network, int side, List<DetectionImage> train, List<DetectionImage> val,
                       TrainingCheckpoint.State state) {
        int grid = side / head.outputStride();
        DetectionBatches batches = new DetectionBatches(train, side, grid, DetectorEvaluator.anchorPairs(head),
                head.classes(), settings.batchSize(), settings.augmentation(), true, settings.seed());
        return run(network, side, batches, val, state);
    }

    /**
     * Trains {@code network} on the given batches (e.g. distillation batches carrying a teacher's outputs), from
     * {@code state}; the settings' augmentation is the batches' business.
     */
    public Trained run(ComputationGraph network, int side, DetectionBatches batches, List<DetectionImage> val,
                       TrainingCheckpoint.State state) {
        int trainImages = batches.size();
        DetectorEvaluator evaluator = new DetectorEvaluator(head, Math.max(8, settings.batchSize()));
        List<EpochRecord> history = new ArrayList<>(state.history());
        double best = state.bestValMap50();
        int bestEpoch = state.bestEpoch();
        int sinceBest = 0;
        boolean stoppedEarly = false;
        long sessionStart = System.nanoTime();
        double trainSeconds = 0;
        long imagesSeen = 0;
        int epoch = state.epoch();
        ComputationGraph bestNetwork = null;
        while (epoch < settings.epochs()) {
            epoch++;
            long start = System.nanoTime();
            batches.startEpoch(epoch);
            double lossSum = 0;
            int steps = 0;
            for (int step = 0; step < batches.batchCount(); step++) {
                lossSum += fit.step(network, batches, epoch, step);
                steps++;
            }
            double loss = lossSum / Math.max(1, steps);
            if (!Double.isFinite(loss)) {
                diverged(epoch, loss, bestEpoch, best);
                stoppedEarly = true;
                epoch--;
                break;
            }
            double epochTrainSeconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += epochTrainSeconds;
            imagesSeen += trainImages;
            double map = Double.NaN;
            boolean evaluate = epoch % settings.evalEvery() == 0 || epoch == settings.epochs();
            boolean isBest = false;
            if (evaluate) {
                DetectionMetrics metrics = evaluator.evaluate(network, val, side);
                map = metrics.map50();
                if (map > best) {
                    best = map;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    isBest = true;
                    if (checkpoint == null) {
                        bestNetwork = network.clone();
                    }
                } else {
                    sinceBest++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochRecord record = new EpochRecord(epoch, loss, map,
                    trainImages / epochTrainSeconds, seconds);
            history.add(record);
            if (checkpoint != null) {
                checkpoint.save(network, new TrainingCheckpoint.State(epoch, best, bestEpoch, history), isBest);
            }
            double elapsed = (System.nanoTime() - sessionStart) / 1e9;
            int done = epoch - state.epoch();
            double eta = elapsed / done * (settings.epochs() - epoch);
            progress.accept(String.format(Locale.ROOT,
                    "epoch %d/%d  loss %.4f  val mAP@0.5 %s  %.1f img/s%s  elapsed %s  eta %s", epoch, settings.epochs(),
                    record.loss(), Double.isNaN(map) ? "  -   " : String.format(Locale.ROOT, "%.4f", map),
                    record.imagesPerSecond(), fit == BatchFit.IN_PROCESS ? "" : String.format(Locale.ROOT,
                            "  %d shard(s), communication %.1f s", fit.shards(), fit.communicationSeconds()),
                    duration(elapsed), duration(eta)));
            if (settings.patience() > 0 && sinceBest >= settings.patience() && best >= EARLY_STOP_FLOOR) {
                stoppedEarly = true;
                progress.accept("early stop: no better val mAP in " + settings.patience() + " evaluations");
                break;
            }
        }
        ComputationGraph result = checkpoint != null && bestEpoch > 0 ? checkpoint.loadBest()
                : bestNetwork != null ? bestNetwork : network;
        double seconds = (System.nanoTime() - sessionStart) / 1e9;
        return new Trained(result, new TrainingResult(best, bestEpoch, epoch, stoppedEarly, seconds,
                trainSeconds > 0 ? imagesSeen / trainSeconds : 0, history));
    }

    /**
     * An epoch whose mean loss is not finite: the weights have diverged and every later epoch would be wasted.
     * With an epoch already scored on val, training stops there and keeps it (the diverged epoch is neither
     * checkpointed nor recorded); without one there is nothing to keep, and the training fails with a message that
     * names the learning rate.
     */
    private void diverged(int epoch, double loss, int bestEpoch, double best) {
        if (bestEpoch <= 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the training diverged: loss %s in epoch %d "
                    + "of %d, before any epoch was scored on val; train again with a lower learning rate than %g",
                    loss, epoch, settings.epochs(), settings.learningRate()));
        }
        progress.accept(String.format(Locale.ROOT, "epoch %d/%d  loss %s: the training diverged; stopping and keeping "
                + "epoch %d (val mAP@0.5 %.4f); a learning rate lower than %g may train further", epoch,
                settings.epochs(), loss, bestEpoch, best, settings.learningRate()));
    }

    /** A short human duration such as {@code 4m12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
