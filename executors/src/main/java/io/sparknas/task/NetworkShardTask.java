package io.sparknas.task;

import io.sparknas.data.DetectionBatches;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.Dl4jRuntime;
import io.sparknas.train.NetworkShardStep;
import io.sparknas.train.StepGradients;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The Spark function that computes one shard of a plain network's data-parallel training step: the parameters of
 * this step arrive as raw little-endian floats in a broadcast, the shard index as the element; the result is the
 * shard's {@link StepGradients} as bytes. Each executor JVM keeps a pool of built networks with their batch
 * iterators, one per task it runs at a time. Deterministic, so a retried task returns the same bytes.
 */
public final class NetworkShardTask implements Function<Integer, byte[]> {

    private static final long serialVersionUID = 1L;
    private static final Map<NetworkShardContext, Queue<Worker>> WORKERS = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> parameters;
    private final NetworkShardContext context;
    private final int epoch;
    private final int step;
    private final int shards;

    public NetworkShardTask(Broadcast<byte[]> parameters, NetworkShardContext context, int epoch, int step,
                            int shards) {
        this.parameters = parameters;
        this.context = context;
        this.epoch = epoch;
        this.step = step;
        this.shards = shards;
    }

    /** A network and the training batches it reads, reused by later tasks of the same training on this JVM. */
    private record Worker(ComputationGraph network, DetectionBatches batches, int[] epoch) {
    }

    @Override
    public byte[] call(Integer shard) {
        if (context.threadsPerTask() > 0) {
            Dl4jRuntime.useThreads(context.threadsPerTask());
        }
        Queue<Worker> pool = pool(context);
        Worker worker = pool.poll();
        if (worker == null) {
            worker = new Worker(context.recipe().build(), new DetectionBatches(
                    ExecutorDatasets.get(context.data()).train(), context.side(),
                    context.side() / context.head().outputStride(), DetectorEvaluator.anchorPairs(context.head()),
                    context.head().classes(), context.batchSize(), context.augmentation(), true, context.seed()),
                    new int[] {-1});
        }
        try {
            NetworkShardStep.loadParameters(worker.network(), parameters.value());
            if (worker.epoch()[0] != epoch) {
                worker.batches().startEpoch(epoch);
                worker.epoch()[0] = epoch;
            }
            return NetworkShardStep.gradient(worker.network(), worker.batches(), step, shard, shards).toBytes();
        } finally {
            pool.offer(worker);
        }
    }

    /** The workers of one training in this JVM; those of other trainings are dropped (one training at a time). */
    private static Queue<Worker> pool(NetworkShardContext context) {
        Queue<Worker> pool = WORKERS.get(context);
        if (pool == null) {
            synchronized (WORKERS) {
                WORKERS.keySet().removeIf(other -> !other.equals(context));
                pool = WORKERS.computeIfAbsent(context, c -> new ConcurrentLinkedQueue<>());
            }
        }
        return pool;
    }
}
