package io.sparknas.supernet;

import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.DistillationLoss;
import io.sparknas.train.DistillationLossLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Trains a supernet by the sandwich rule: at every step the subnets chosen by {@link SandwichSampler} each run
 * forward and backward on the same batch (at their own resolution), their gradients are summed into the shared
 * slices, and {@link SharedWeightOptimizer} takes one step. After every epoch the checkpoint file is rewritten (so a
 * killed run resumes from the last completed epoch) and one progress line is printed, with the recalibrated val
 * mAP of the largest and smallest subnets every {@code evalEvery} epochs. With progressive shrinking, the hidden
 * channels are sorted by importance ({@link ChannelImportanceSorting}) when the expansion ratio becomes elastic.
 * With in-place distillation ({@code supernet.inplace-distillation.weight > 0}) the largest member runs first and
 * every later member at its resolution is trained through the detection distillation loss against the largest's
 * outputs on the same batch (computed in training mode, not back-propagated into the largest).
 */
public final class SupernetTrainer {

    private static final int CACHED_NETWORKS = 6;

    private final SearchSpace space;
    private final SupernetSettings settings;
    private final Path checkpointFile;
    private final Consumer<String> progress;
    private final Runnable checkpointed;
    private final SandwichEnds ends;
    private final java.util.function.Predicate<Architecture> admissible;

    /**
     * @param checkpointFile the checkpoint to write after every epoch and to resume from when it exists; null for
     *                       none
     */
    public SupernetTrainer(SearchSpace space, SupernetSettings settings, Path checkpointFile, Consumer<String> progress) {
        this(space, settings, checkpointFile, progress, () -> { });
    }

    /**
     * @param checkpointed runs after every epoch's checkpoint is written (e.g. to store a copy where a restarted
     *                     driver finds it)
     */
    public SupernetTrainer(SearchSpace space, SupernetSettings settings, Path checkpointFile, Consumer<String> progress,
                           Runnable checkpointed) {
        this(space, settings, checkpointFile, progress, checkpointed, null);
    }

    /**
     * @param costModel the target's cost model over {@code space}: the sandwich's ends are then chosen by cost
     *                  inside the budget and its random members among the subnets that fit ({@link SandwichEnds});
     *                  null for the space's choice extremes and any subnet
     */
    public SupernetTrainer(SearchSpace space, SupernetSettings settings, Path checkpointFile, Consumer<String> progress,
                           Runnable checkpointed, io.sparknas.cost.CostModel costModel) {
        this.space = space;
        this.settings = settings;
        this.checkpointFile = checkpointFile;
        this.progress = progress;
        this.checkpointed = checkpointed;
        this.ends = costModel == null ? SandwichEnds.extremes(space)
                : SandwichEnds.byCost(space, costModel, settings.seed());
        this.admissible = costModel == null ? a -> true : a -> costModel.evaluate(a).feasible();
    }

    /** One line naming the sandwich's ends and their costs, for progress output. */
    public static String describe(SandwichEnds ends, io.sparknas.cost.CostModel costModel) {
        io.sparknas.cost.Costs large = costModel.evaluate(ends.largest());
        io.sparknas.cost.Costs small = costModel.evaluate(ends.smallest());
        return String.format(Locale.ROOT, "sandwich ends on %s: largest that fits %s (%.1f MMACs, %.1f ms), smallest "
                        + "%s (%.1f MMACs, %.1f ms)", costModel.target().name(), ends.largest().shortName(),
                large.macs() / 1e6, large.latencyMs(), ends.smallest().shortName(), small.macs() / 1e6,
                small.latencyMs());
    }

    /** The largest and smallest members of every step. */
    public SandwichEnds ends() {
        return ends;
    }

    /** The output layer of a member that imitates the largest at {@code side}: detection plus distillation loss. */
    private DistillationLossLayer distillationLayer(HeadSpec head, int side) {
        int grid = side / head.outputStride();
        return new DistillationLossLayer(new DistillationLoss(DetectorNetworkBuilder.loss(head, grid * grid),
                settings.inplaceDistillation().weight(), settings.inplaceDistillation().temperature(),
                settings.inplaceDistillation().threshold()));
    }

    /** A member's network, kept between steps: plain, or trained through the in-place distillation loss. */
    private record CachedMember(Architecture architecture, boolean imitates) {
    }

    /** The trained supernet and its history. */
    public record Trained(Supernet supernet, List<SupernetEpoch> history, double seconds) {
    }

    /** Trains from scratch, or resumes from the checkpoint file when it exists. */
    public Trained train(List<DetectionImage> train, List<DetectionImage> val) {
        int stepsPerEpoch = settings.steps(train.size());
        SharedWeightOptimizer optimizer = new SharedWeightOptimizer(settings.updater(stepsPerEpoch),
                settings.weightDecay());
        Supernet supernet;
        List<SupernetEpoch> history = new ArrayList<>();
        if (checkpointFile != null && Files.isRegularFile(checkpointFile)) {
            SupernetCheckpoint.Contents contents = SupernetCheckpoint.load(checkpointFile, space);
            if (!contents.supernet().space().equals(space)) {
                throw new IllegalArgumentException(checkpointFile + " was trained at resolutions "
                        + contents.supernet().space().resolutions() + " and widths " + contents.supernet().space().widths()
                        + ", not " + space.resolutions() + " and " + space.widths() + ": resume it in the same cell");
            }
            supernet = contents.supernet();
            optimizer.restore(contents.optimizerState());
            history.addAll(contents.history());
            progress.accept("resuming the supernet after epoch " + contents.epoch() + " from " + checkpointFile);
        } else {
            supernet = Supernet.initialize(space, settings.seed(), new NoOp(), settings.weightSharing());
        }
        SandwichSampler sampler = new SandwichSampler(space, ends, admissible, settings.randomSubnets(),
                settings.progressiveShrinking(), settings.epochs(), settings.seed());
        HeadSpec head = space.head();
        Map<Integer, DetectionBatches> batchesBySide = new HashMap<>();
        boolean distills = settings.inplaceDistillation().weight() > 0;
        Map<CachedMember, ComputationGraph> networks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<CachedMember, ComputationGraph> eldest) {
                return size() > CACHED_NETWORKS;
            }
        };
        long sessionStart = System.nanoTime();
        int startEpoch = history.size();
        for (int epoch = startEpoch + 1; epoch <= settings.epochs(); epoch++) {
            long start = System.nanoTime();
            if (settings.progressiveShrinking() && epoch > 1 && sampler.phase(epoch) == SandwichSampler.ALL_CHOICES
                    && sampler.phase(epoch - 1) < SandwichSampler.ALL_CHOICES) {
                int slots = ChannelImportanceSorting.sort(supernet, optimizer);
                progress.accept("expansion ratio now elastic: hidden channels of " + slots
                        + " MBConv slots sorted by importance");
            }
            for (DetectionBatches batches : batchesBySide.values()) {
                batches.startEpoch(epoch);
            }
            double lossSum = 0;
            int passes = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
                Map<String, INDArray> sums = new HashMap<>();
                Map<String, INDArray> used = new HashMap<>();
                INDArray largestOutput = null;
                List<Architecture> members = sampler.members(epoch, step);
                for (int m = 0; m < members.size(); m++) {
                    Architecture member = members.get(m);
                    boolean imitate = largestOutput != null && member.resolution() == members.get(0).resolution();
                    ComputationGraph network = networks.get(new CachedMember(member, imitate));
                    if (network == null) {
                        network = imitate ? supernet.extract(member, settings.seed(), new NoOp(),
                                distillationLayer(head, member.resolution()))
                                : supernet.extract(member, settings.seed(), new NoOp());
                        networks.put(new CachedMember(member, imitate), network);
                    } else {
                        supernet.load(member, network);
                    }
                    int side = member.resolution();
                    final int currentEpoch = epoch;
                    DataSet batch = batchesBySide.computeIfAbsent(side, s -> {
                        DetectionBatches created = new DetectionBatches(train, s, s / head.outputStride(),
                                DetectorEvaluator.anchorPairs(head), head.classes(), settings.batchSize(),
                                settings.augmentation(), true, settings.seed());
                        created.startEpoch(currentEpoch);
                        return created;
                    }).batch(step);
                    INDArray labels = imitate ? Nd4j.concat(1, batch.getLabels(), largestOutput) : batch.getLabels();
                    network.setInput(0, batch.getFeatures());
                    network.setLabel(0, labels);
                    network.computeGradientAndScore();
                    if (distills && m == 0) {
                        largestOutput = network.outputSingle(true, batch.getFeatures()).detach();
                    }
                    lossSum += network.score();
                    passes++;
                    supernet.accumulateGradient(member, network, sums, used);
                }
                optimizer.step(supernet, sums, used, (epoch - 1) * stepsPerEpoch + step, epoch - 1);
            }
            boolean evaluate = settings.evalEvery() > 0
                    && (epoch % settings.evalEvery() == 0 || epoch == settings.epochs());
            double largestMap = Double.NaN;
            double smallestMap = Double.NaN;
            if (evaluate) {
                SubnetEvaluator evaluator = new SubnetEvaluator(supernet, train, val, settings.recalibrationBatches(),
                        settings.batchSize(), settings.seed());
                largestMap = evaluator.evaluate(ends.largest()).map50();
                smallestMap = evaluator.evaluate(ends.smallest()).map50();
            }
            SupernetEpoch record = new SupernetEpoch(epoch, sampler.phase(epoch), lossSum / Math.max(1, passes), passes,
                    largestMap, smallestMap, (System.nanoTime() - start) / 1e9);
            history.add(record);
            if (checkpointFile != null) {
                SupernetCheckpoint.save(checkpointFile, supernet, optimizer, history);
                checkpointed.run();
            }
            double elapsed = (System.nanoTime() - sessionStart) / 1e9;
            double eta = elapsed / (epoch - startEpoch) * (settings.epochs() - epoch);
            progress.accept(String.format(Locale.ROOT,
                    "supernet epoch %d/%d  phase %d  loss %.4f  val mAP@0.5 largest %s smallest %s  %.1f subnet-img/s"
                            + "  elapsed %s  eta %s", epoch, settings.epochs(), record.phase(), record.loss(),
                    format(largestMap), format(smallestMap),
                    passes * (double) settings.batchSize() / record.seconds(), DetectorTrainer.duration(elapsed), DetectorTrainer.duration(eta)));
        }
        return new Trained(supernet, history, (System.nanoTime() - sessionStart) / 1e9);
    }

    private static String format(double map) {
        return Double.isNaN(map) ? "  -   " : String.format(Locale.ROOT, "%.4f", map);
    }
}
