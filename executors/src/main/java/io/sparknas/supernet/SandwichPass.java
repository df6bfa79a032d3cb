package io.sparknas.supernet;

import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.HeadSpec;
import io.sparknas.train.DistillationLoss;
import io.sparknas.train.DistillationLossLayer;
import io.sparknas.train.StepGradients;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The forward and backward passes of a sandwich step on one shard of its batch: each member, cut from the
 * supernet's current weights, runs on the shard (at its own resolution) and its gradient is added into the shared
 * slices. With in-place distillation the largest member runs first and every later member at its resolution is
 * trained through the detection distillation loss against the largest's outputs on the same images (computed in
 * training mode, not back-propagated into the largest). The members' networks are kept between steps (the last
 * few), since building one costs more than loading its weights. Used by the in-process trainer and by the Spark
 * task of a distributed step alike, so both compute the same thing.
 */
public final class SandwichPass {

    private static final int CACHED_NETWORKS = 6;

    private final SandwichTraining training;
    private final List<DetectionImage> train;
    private final Map<Integer, DetectionBatches> batchesBySide = new HashMap<>();
    private final Map<Integer, Integer> epochBySide = new HashMap<>();
    private final Map<CachedMember, ComputationGraph> networks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CachedMember, ComputationGraph> eldest) {
            return size() > CACHED_NETWORKS;
        }
    };

    /** A member's network, kept between steps: plain, or trained through the in-place distillation loss. */
    private record CachedMember(Architecture architecture, boolean imitates) {
    }

    public SandwichPass(SandwichTraining training, List<DetectionImage> train) {
        this.training = training;
        this.train = List.copyOf(train);
    }

    /**
     * The gradients of {@code step}'s members on shard {@code shard} of {@code shards} of its batch
     * ({@link DetectionBatches#batchPart}), scaled by the shard's share of the batch; empty when the shard has no
     * images.
     */
    public synchronized StepGradients compute(Supernet supernet, SandwichStep step, int shard, int shards) {
        long start = System.nanoTime();
        SupernetSettings settings = training.settings();
        HeadSpec head = training.space().head();
        boolean distills = settings.inplaceDistillation().weight() > 0 && step.largestFirst();
        int batchImages = Math.min(settings.batchSize(), train.size() - step.step() * settings.batchSize());
        Map<String, INDArray> sums = new HashMap<>();
        Map<String, INDArray> used = new HashMap<>();
        INDArray largestOutput = null;
        double loss = 0;
        int images = 0;
        List<Architecture> members = step.members();
        Map<Integer, DataSet> rendered = new HashMap<>();
        for (int m = 0; m < members.size(); m++) {
            Architecture member = members.get(m);
            DataSet batch = rendered.computeIfAbsent(member.resolution(),
                    side -> batches(side, step.epoch()).batchPart(step.step(), shard, shards));
            if (batch == null) {
                return StepGradients.empty();
            }
            images = (int) batch.getFeatures().size(0);
            boolean imitate = largestOutput != null && member.resolution() == members.get(0).resolution();
            ComputationGraph network = network(supernet, member, imitate);
            INDArray labels = imitate ? Nd4j.concat(1, batch.getLabels(), largestOutput) : batch.getLabels();
            network.setInput(0, batch.getFeatures());
            network.setLabel(0, labels);
            network.computeGradientAndScore();
            if (distills && m == 0) {
                largestOutput = network.outputSingle(true, batch.getFeatures()).detach();
            }
            loss += network.score();
            supernet.accumulateGradient(member, network, sums, used);
        }
        double share = images / (double) batchImages;
        if (share != 1) {
            for (INDArray sum : sums.values()) {
                sum.muli(share);
            }
        }
        return new StepGradients(sums, used, loss * share, images, (System.nanoTime() - start) / 1e9, 0);
    }

    private ComputationGraph network(Supernet supernet, Architecture member, boolean imitate) {
        long seed = training.settings().seed();
        ComputationGraph network = networks.get(new CachedMember(member, imitate));
        if (network == null) {
            network = imitate ? supernet.extract(member, seed, new NoOp(), distillationLayer(member.resolution()))
                    : supernet.extract(member, seed, new NoOp());
            networks.put(new CachedMember(member, imitate), network);
        } else {
            supernet.load(member, network);
        }
        return network;
    }

    /** The output layer of a member that imitates the largest at {@code side}: detection plus distillation loss. */
    private DistillationLossLayer distillationLayer(int side) {
        HeadSpec head = training.space().head();
        int grid = side / head.outputStride();
        SupernetSettings settings = training.settings();
        return new DistillationLossLayer(new DistillationLoss(DetectorNetworkBuilder.loss(head, grid * grid),
                settings.inplaceDistillation()));
    }

    /** The training batches at {@code side}, positioned at {@code epoch}'s shuffle and augmentation. */
    private DetectionBatches batches(int side, int epoch) {
        SupernetSettings settings = training.settings();
        HeadSpec head = training.space().head();
        DetectionBatches batches = batchesBySide.computeIfAbsent(side, s -> new DetectionBatches(train, s,
                s / head.outputStride(), DetectorEvaluator.anchorPairs(head), head.classes(), settings.batchSize(),
                settings.augmentation(), true, settings.seed()));
        if (epochBySide.getOrDefault(side, -1) != epoch) {
            batches.startEpoch(epoch);
            epochBySide.put(side, epoch);
        }
        return batches;
    }
}
