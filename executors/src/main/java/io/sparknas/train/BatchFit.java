package io.sparknas.train;

import io.sparknas.data.DetectionBatches;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * How {@link DetectorTrainer} takes one optimizer step of a network on one batch: in this process
 * ({@link #IN_PROCESS}, DL4J's own {@code fit}) or data-parallel over the tasks of a Spark cluster (the driver's
 * implementation, built on {@link NetworkShardStep}).
 */
public interface BatchFit extends AutoCloseable {

    /** DL4J's own step on the whole batch, in this process. */
    BatchFit IN_PROCESS = new BatchFit() {
        @Override
        public double step(ComputationGraph network, DetectionBatches batches, int epoch, int step) {
            network.fit(batches.batch(step));
            return network.score();
        }

        @Override
        public int shards() {
            return 1;
        }
    };

    /**
     * One optimizer step of {@code network} on batch {@code step} of {@code batches}, already positioned at
     * {@code epoch}; returns the step's loss.
     */
    double step(ComputationGraph network, DetectionBatches batches, int epoch, int step);

    /** Shards each batch is cut into. */
    int shards();

    /** Seconds spent so far moving weights and gradients (0 in process). */
    default double communicationSeconds() {
        return 0;
    }

    @Override
    default void close() {
    }
}
