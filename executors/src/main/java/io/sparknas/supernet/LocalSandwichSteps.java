package io.sparknas.supernet;

import io.sparknas.data.DetectionImage;
import io.sparknas.train.StepGradients;
import java.util.ArrayList;
import java.util.List;

/**
 * Sandwich steps computed in this process: the batch's shards one after another, combined in shard order, exactly
 * as the tasks of a distributed step compute and combine them. One shard is the plain single-process step.
 */
public final class LocalSandwichSteps implements SandwichStepRunner {

    private final SandwichPass pass;
    private final int shards;

    public LocalSandwichSteps(SandwichTraining training, List<DetectionImage> train, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.pass = new SandwichPass(training, train);
        this.shards = shards;
    }

    @Override
    public StepGradients run(Supernet supernet, SandwichStep step) {
        List<StepGradients> parts = new ArrayList<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            parts.add(pass.compute(supernet, step, shard, shards));
        }
        return StepGradients.combine(parts, 0);
    }

    @Override
    public int shards() {
        return shards;
    }
}
