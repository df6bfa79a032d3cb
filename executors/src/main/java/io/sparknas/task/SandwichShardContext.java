package io.sparknas.task;

import io.sparknas.data.DatasetSource;
import io.sparknas.supernet.SandwichTraining;

/**
 * Everything, besides the broadcast weights and the step, that a task computing one shard of a sandwich step
 * needs; small and serializable.
 *
 * @param training       the cell and the supernet's training settings
 * @param data           where the dataset comes from; each executor loads it once and keeps it
 * @param threadsPerTask ND4J threads per task, so tasks x threads does not oversubscribe the cores
 */
public record SandwichShardContext(SandwichTraining training, DatasetSource data, int threadsPerTask)
        implements java.io.Serializable {
}
