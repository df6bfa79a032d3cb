package io.sparknas.search;

import io.sparknas.data.DatasetSource;
import io.sparknas.data.DetectionImage;
import io.sparknas.supernet.SandwichStep;
import io.sparknas.supernet.SandwichStepRunner;
import io.sparknas.supernet.SandwichTraining;
import io.sparknas.train.StepGradients;
import io.sparknas.supernet.Supernet;
import io.sparknas.task.SandwichShardContext;
import io.sparknas.task.SandwichShardTask;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Data-parallel sandwich steps on the cluster: one Spark job per step, one task per shard of the batch. The
 * driver broadcasts the current weights of the shared arrays the step's members use ({@link Supernet#keysFor}, as
 * bytes), every task runs all the step's members on its shard
 * ({@link SandwichShardTask}) and returns its gradients scaled by its share of the batch, and the driver adds them
 * in shard order, so a step is deterministic for a given seed and number of shards whichever task finishes first.
 * The optimizer step stays on the driver ({@link io.sparknas.supernet.SupernetTrainer}).
 *
 * <p>Gradients are combined by the driver rather than by Spark's {@code treeAggregate}, whose last level merges
 * partial sums in the order tasks finish, which would make float sums, and so the training, vary from run to run;
 * what this costs at scale is measured and projected in docs/benchmarks.md.
 */
public final class SparkSandwichSteps implements SandwichStepRunner {

    private final JavaSparkContext context;
    private final SandwichShardContext shardContext;
    private final int shards;
    private long steps;
    private long bytesMoved;

    /**
     * @param shards tasks per step (at least 1; at most the batch size, since a shard holds whole images)
     */
    public SparkSandwichSteps(SparkSession spark, SandwichTraining training, DatasetSource data, int shards,
                              int threadsPerTask) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.shardContext = new SandwichShardContext(training, data, threadsPerTask);
        this.shards = Math.min(shards, training.settings().batchSize());
    }

    /**
     * The runners of a training on {@code spark}: {@code parallelism} shards per step, or when 0, one per core of
     * the cluster (Spark's default parallelism), capped by the batch size.
     */
    public static SandwichStepRunner.Factory on(SparkSession spark, DatasetSource data, int parallelism,
                                                int threadsPerTask) {
        int shards = parallelism > 0 ? parallelism : spark.sparkContext().defaultParallelism();
        return (SandwichTraining training, List<DetectionImage> train) ->
                new SparkSandwichSteps(spark, training, data, shards, threadsPerTask);
    }

    @Override
    public StepGradients run(Supernet supernet, SandwichStep step) {
        long start = System.nanoTime();
        byte[] weights = supernet.toTransferBytes(supernet.keysFor(step.members()));
        Broadcast<byte[]> broadcast = context.broadcast(weights);
        try {
            context.setJobDescription("supernet epoch " + step.epoch() + " step " + step.step());
            List<Integer> indices = IntStream.range(0, shards).boxed().toList();
            List<byte[]> results = context.parallelize(indices, shards)
                    .map(new SandwichShardTask(broadcast, shardContext, step, shards)).collect();
            List<StepGradients> parts = new ArrayList<>(results.size());
            long moved = (long) weights.length * shards;
            for (byte[] result : results) {
                parts.add(StepGradients.fromBytes(result));
                moved += result.length;
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double compute = parts.stream().mapToDouble(StepGradients::computeSeconds).max().orElse(0);
            synchronized (this) {
                steps++;
                bytesMoved += moved;
            }
            return StepGradients.combine(parts, Math.max(0, wall - compute));
        } finally {
            broadcast.destroy();
        }
    }

    @Override
    public int shards() {
        return shards;
    }

    /** Bytes moved per step so far, on average: the weights to every task and every task's gradients back. */
    public synchronized double bytesPerStep() {
        return steps == 0 ? 0 : bytesMoved / (double) steps;
    }
}
