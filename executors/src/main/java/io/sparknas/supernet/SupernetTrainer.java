package io.sparknas.supernet;

import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.DistillationLoss;
import io.sparknas.train.DistillationLossLayer;
import io.sparknas.train.StepGradients;
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
 * forward and backward on the same batch (at their own resolution, {@link SandwichPass}), their gradients are summed
 * into the shared slices, and {@link SharedWeightOptimizer} takes one step. The passes run in this process
 * ({@link LocalSandwichSteps}) or, with another {@link SandwichStepRunner.Factory}, on the shards of the batch
 * across a cluster; the optimizer step is always taken here. After every epoch the checkpoint file is rewritten (so
 * a killed run resumes from the last completed epoch, with any number of shards) and one progress line is printed,
 * with the recalibrated val mAP of the largest and smallest subnets every {@code evalEvery} epochs. With
 * progressive shrinking, the hidden channels are sorted by importance ({@link ChannelImportanceSorting}) when the
 * expansion ratio becomes elastic.
 */
public final class SupernetTrainer {

    private final SearchSpace space;
    private final SupernetSettings settings;
    private final Path checkpointFile;
    private final Consumer<String> progress;
    private final Runnable checkpointed;
    private final SandwichEnds ends;
    private final java.util.function.Predicate<Architecture> admissible;
    private final SandwichStepRunner.Factory steps;

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
        this(space, settings, checkpointFile, progress, checkpointed,
                costModel == null ? SandwichEnds.extremes(space) : SandwichEnds.byCost(space, costModel, settings.seed()),
                costModel == null ? a -> true : a -> costModel.evaluate(a).feasible(),
                (training, train) -> new LocalSandwichSteps(training, train, 1));
    }

    private SupernetTrainer(SearchSpace space, SupernetSettings settings, Path checkpointFile,
                            Consumer<String> progress, Runnable checkpointed, SandwichEnds ends,
                            java.util.function.Predicate<Architecture> admissible, SandwichStepRunner.Factory steps) {
        this.space = space;
        this.settings = settings;
        this.checkpointFile = checkpointFile;
        this.progress = progress;
        this.checkpointed = checkpointed;
        this.ends = ends;
        this.admissible = admissible;
        this.steps = steps;
    }

    /** The same trainer, its steps' passes computed by the runners {@code factory} makes (e.g. on Spark). */
    public SupernetTrainer withSteps(SandwichStepRunner.Factory factory) {
        return new SupernetTrainer(space, settings, checkpointFile, progress, checkpointed, ends, admissible, factory);
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
            supernet = Supernet.initialize(space, settings.seed(), new NoOp(), settings.weightSharing(),
                    settings.zeroKernelRings());
        }
        ConvTypeBalance balance = switch (settings.memberTypes()) {
            case UNIFORM -> null;
            case BALANCED -> ConvTypeBalance.of(space, ends, settings.weightSharing(), settings.randomSubnets(),
                    settings.smallestShare(), settings.largestShare());
            case BALANCED_FITTING -> ConvTypeBalance.fitting(space, ends, settings.weightSharing(),
                    settings.randomSubnets(), settings.smallestShare(), settings.largestShare(), admissible,
                    io.sparknas.seed.Seeds.derive(settings.seed(), "balance"));
        };
        SandwichSampler sampler = new SandwichSampler(space, ends, admissible, settings.randomSubnets(),
                settings.progressiveShrinking(), settings.epochs(), settings.seed(), balance, settings.smallestEvery(),
                settings.largestEvery());
        long sessionStart = System.nanoTime();
        int startEpoch = history.size();
        try (SandwichStepRunner runner = steps.create(new SandwichTraining(space, settings), train)) {
            for (int epoch = startEpoch + 1; epoch <= settings.epochs(); epoch++) {
                history.add(epoch(supernet, optimizer, sampler, runner, epoch, stepsPerEpoch, train, val));
                if (checkpointFile != null) {
                    SupernetCheckpoint.save(checkpointFile, supernet, optimizer, history);
                    checkpointed.run();
                }
                SupernetEpoch record = history.get(history.size() - 1);
                double elapsed = (System.nanoTime() - sessionStart) / 1e9;
                double eta = elapsed / (epoch - startEpoch) * (settings.epochs() - epoch);
                progress.accept(String.format(Locale.ROOT,
                        "supernet epoch %d/%d  phase %d  loss %.4f  val mAP@0.5 largest %s smallest %s  %.1f "
                                + "subnet-img/s  %d shard(s), communication %.1f s  elapsed %s  eta %s", epoch,
                        settings.epochs(), record.phase(), record.loss(), format(record.largestValMap50()),
                        format(record.smallestValMap50()), record.subnetSteps() * (double) settings.batchSize()
                                / record.seconds(), runner.shards(), record.communicationSeconds(),
                        DetectorTrainer.duration(elapsed), DetectorTrainer.duration(eta)));
            }
        }
        return new Trained(supernet, history, (System.nanoTime() - sessionStart) / 1e9);
    }

    /** One epoch: its steps, each computed by {@code runner} and applied here, then the optional evaluation. */
    private SupernetEpoch epoch(Supernet supernet, SharedWeightOptimizer optimizer, SandwichSampler sampler,
                                SandwichStepRunner runner, int epoch, int stepsPerEpoch, List<DetectionImage> train,
                                List<DetectionImage> val) {
        long start = System.nanoTime();
        if (settings.progressiveShrinking() && epoch > 1 && sampler.phase(epoch) == SandwichSampler.ALL_CHOICES
                && sampler.phase(epoch - 1) < SandwichSampler.ALL_CHOICES) {
            int slots = ChannelImportanceSorting.sort(supernet, optimizer);
            progress.accept("expansion ratio now elastic: hidden channels of " + slots
                    + " MBConv slots sorted by importance");
        }
        double lossSum = 0;
        int passes = 0;
        double communication = 0;
        for (int step = 0; step < stepsPerEpoch; step++) {
            SandwichStep sandwich = new SandwichStep(epoch, step, sampler.members(epoch, step),
                    sampler.trainsLargest(epoch, step));
            StepGradients gradients = runner.run(supernet, sandwich);
            lossSum += gradients.loss();
            passes += sandwich.members().size();
            communication += gradients.communicationSeconds();
            optimizer.step(supernet, gradients.sums(), gradients.used(), (epoch - 1) * stepsPerEpoch + step,
                    epoch - 1);
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
        return new SupernetEpoch(epoch, sampler.phase(epoch), lossSum / Math.max(1, passes), passes, largestMap,
                smallestMap, (System.nanoTime() - start) / 1e9, runner.shards(), communication);
    }

    private static String format(double map) {
        return Double.isNaN(map) ? "  -   " : String.format(Locale.ROOT, "%.4f", map);
    }
}
