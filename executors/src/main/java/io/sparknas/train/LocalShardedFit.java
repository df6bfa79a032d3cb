package io.sparknas.train;

import io.sparknas.data.DetectionBatches;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Data-parallel steps computed in this process: the batch's shards one after another ({@link NetworkShardStep}),
 * added in shard order and applied once, exactly as a distributed step computes them. One shard is DL4J's own step.
 */
public final class LocalShardedFit implements BatchFit {

    private final int shards;

    public LocalShardedFit(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.shards = shards;
    }

    @Override
    public double step(ComputationGraph network, DetectionBatches batches, int epoch, int step) {
        List<StepGradients> parts = new ArrayList<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            parts.add(NetworkShardStep.gradient(network, batches, step, shard, shards));
        }
        StepGradients sum = StepGradients.combine(parts, 0);
        NetworkShardStep.apply(network, sum, sum.images(), () -> batches.batchPart(step, shards - 1, shards));
        return sum.loss();
    }

    @Override
    public int shards() {
        return shards;
    }
}
