package io.sparknas.task;

import io.sparknas.supernet.SandwichPass;
import io.sparknas.supernet.SandwichStep;
import io.sparknas.train.StepGradients;
import io.sparknas.net.Dl4jRuntime;
import io.sparknas.supernet.Supernet;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark function that computes one shard of a sandwich step: the supernet's weights of this step arrive as
 * bytes in a broadcast, the shard index as the element; the result is the shard's {@link StepGradients} as bytes
 * (the weight-decay masks only from shard 0, since every shard runs the same members). Each executor JVM keeps a
 * pool of {@link SandwichPass}es (built networks and batch iterators), one per task it runs at a time, so
 * concurrent tasks never wait for each other and later steps skip building networks. The computation is
 * deterministic, so a retried task returns the same bytes.
 */
public final class SandwichShardTask implements Function<Integer, byte[]> {

    private static final long serialVersionUID = 1L;
    private static final Map<SandwichShardContext, Queue<SandwichPass>> PASSES = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> weights;
    private final SandwichShardContext context;
    private final SandwichStep step;
    private final int shards;

    public SandwichShardTask(Broadcast<byte[]> weights, SandwichShardContext context, SandwichStep step, int shards) {
        this.weights = weights;
        this.context = context;
        this.step = step;
        this.shards = shards;
    }

    @Override
    public byte[] call(Integer shard) {
        if (context.threadsPerTask() > 0) {
            Dl4jRuntime.useThreads(context.threadsPerTask());
        }
        Queue<SandwichPass> pool = pool(context);
        SandwichPass pass = pool.poll();
        if (pass == null) {
            pass = new SandwichPass(context.training(), ExecutorDatasets.get(context.data()).train());
        }
        try {
            Supernet supernet = Supernet.fromTransferBytes(context.training().space(), weights.value());
            StepGradients gradients = pass.compute(supernet, step, shard, shards);
            return (shard == 0 ? gradients : gradients.withoutMasks()).toBytes();
        } finally {
            pool.offer(pass);
        }
    }

    /** The passes of one training in this JVM; those of other trainings are dropped (one training at a time). */
    private static Queue<SandwichPass> pool(SandwichShardContext context) {
        Queue<SandwichPass> pool = PASSES.get(context);
        if (pool == null) {
            synchronized (PASSES) {
                PASSES.keySet().removeIf(other -> !other.equals(context));
                pool = PASSES.computeIfAbsent(context, c -> new ConcurrentLinkedQueue<>());
            }
        }
        return pool;
    }
}
