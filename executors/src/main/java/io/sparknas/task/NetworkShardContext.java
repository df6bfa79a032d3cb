package io.sparknas.task;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DatasetSource;
import io.sparknas.space.HeadSpec;
import io.sparknas.train.NetworkRecipe;

/**
 * Everything, besides the broadcast parameters and the step, that a task computing one shard of a plain network's
 * training step needs; small and serializable.
 *
 * @param recipe         how to build the network
 * @param data           where the dataset comes from; each executor loads it once and keeps it
 * @param side           input side of the network
 * @param head           the detection head the labels are made for
 * @param batchSize      images per step (before sharding)
 * @param augmentation   training augmentation
 * @param seed           seed of the shuffle and augmentation (the trainer's)
 * @param threadsPerTask ND4J threads per task
 */
public record NetworkShardContext(NetworkRecipe recipe, DatasetSource data, int side, HeadSpec head, int batchSize,
                                  Augmentation augmentation, long seed, int threadsPerTask)
        implements java.io.Serializable {
}
