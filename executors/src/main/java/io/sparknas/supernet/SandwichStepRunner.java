package io.sparknas.supernet;

import io.sparknas.train.StepGradients;

/**
 * Computes a sandwich step's gradients against the supernet's current weights: in this process
 * ({@link LocalSandwichSteps}) or spread over the tasks of a Spark cluster (the driver's implementation). The
 * optimizer step that follows is {@link SupernetTrainer}'s, in this process.
 */
public interface SandwichStepRunner extends AutoCloseable {

    /** The step's gradients over its whole batch, summed over its members, shards combined in shard order. */
    StepGradients run(Supernet supernet, SandwichStep step);

    /** Shards each batch is cut into (tasks per step); the gradients are deterministic for a given count. */
    int shards();

    @Override
    default void close() {
    }

    /** Makes the runner of one training (of {@code train}, the training split, for runners that need it here). */
    @FunctionalInterface
    interface Factory {
        SandwichStepRunner create(SandwichTraining training, java.util.List<io.sparknas.data.DetectionImage> train);
    }
}
