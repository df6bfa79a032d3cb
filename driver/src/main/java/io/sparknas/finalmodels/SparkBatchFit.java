package io.sparknas.finalmodels;

import io.sparknas.data.DetectionBatches;
import io.sparknas.task.NetworkShardContext;
import io.sparknas.task.NetworkShardTask;
import io.sparknas.train.BatchFit;
import io.sparknas.train.NetworkShardStep;
import io.sparknas.train.StepGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Data-parallel training steps of a plain network (the ViT teacher) on the cluster, the mechanism of the supernet's
 * ({@link io.sparknas.search.SparkSandwichSteps}, docs/distributed-training.md) for one network: one Spark job per
 * step, one task per shard of the batch; the driver broadcasts the parameters, every task
 * ({@link NetworkShardTask}) returns its shard's gradient, and the driver adds them in shard order and applies the
 * network's own updater ({@link NetworkShardStep#apply}), so the optimizer state stays here.
 */
public final class SparkBatchFit implements BatchFit {

    private final JavaSparkContext context;
    private final NetworkShardContext shardContext;
    private final int shards;
    private double communication;

    /** @param shards tasks per step (at least 1; at most the batch size) */
    public SparkBatchFit(SparkSession spark, NetworkShardContext shardContext, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.shardContext = shardContext;
        this.shards = Math.min(shards, shardContext.batchSize());
    }

    /** {@code parallelism} shards per step, or when 0 one per core of the cluster (Spark's default parallelism). */
    public static int shards(SparkSession spark, int parallelism) {
        return parallelism > 0 ? parallelism : spark.sparkContext().defaultParallelism();
    }

    @Override
    public double step(ComputationGraph network, DetectionBatches batches, int epoch, int step) {
        long start = System.nanoTime();
        Broadcast<byte[]> parameters = context.broadcast(NetworkShardStep.parameterBytes(network));
        List<StepGradients> parts = new ArrayList<>(shards);
        try {
            context.setJobDescription("training epoch " + epoch + " step " + step);
            for (byte[] result : context.parallelize(IntStream.range(0, shards).boxed().toList(), shards)
                    .map(new NetworkShardTask(parameters, shardContext, epoch, step, shards)).collect()) {
                parts.add(StepGradients.fromBytes(result));
            }
        } finally {
            parameters.destroy();
        }
        double compute = parts.stream().mapToDouble(StepGradients::computeSeconds).max().orElse(0);
        StepGradients sum = StepGradients.combine(parts, 0);
        communication += Math.max(0, (System.nanoTime() - start) / 1e9 - compute);
        NetworkShardStep.apply(network, sum, sum.images(), () -> batches.batchPart(step, shards - 1, shards));
        return sum.loss();
    }

    @Override
    public int shards() {
        return shards;
    }

    @Override
    public double communicationSeconds() {
        return communication;
    }
}
