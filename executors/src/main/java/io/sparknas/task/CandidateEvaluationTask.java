package io.sparknas.task;

import io.sparknas.data.DetectionDataset;
import io.sparknas.supernet.Supernet;
import io.sparknas.supernet.SubnetEvaluator;
import io.sparknas.supernet.SubnetScore;
import io.sparknas.supernet.SupernetCheckpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark function that scores a partition of candidates with inherited weights. The supernet arrives as
 * checkpoint bytes in a broadcast (sent once per checkpoint, deserialized once per executor JVM); the dataset is
 * loaded once per executor JVM from its source. Scoring is deterministic, so a retried task returns the same
 * scores and nothing is counted twice: results reach the driver only from the attempt that succeeded.
 */
public final class CandidateEvaluationTask implements FlatMapFunction<Iterator<CandidateRequest>, CandidateScore> {

    private static final long serialVersionUID = 1L;
    private static final Map<Long, Supernet> SUPERNETS = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> checkpoint;
    private final EvaluationContext context;

    public CandidateEvaluationTask(Broadcast<byte[]> checkpoint, EvaluationContext context) {
        this.checkpoint = checkpoint;
        this.context = context;
    }

    @Override
    public Iterator<CandidateScore> call(Iterator<CandidateRequest> requests) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        if (context.failFirstAttempt() && attempt == 0 && requests.hasNext()) {
            throw new IllegalStateException("injected failure (search.testing.fail-first-attempt) of the first "
                    + "attempt of partition " + (task == null ? -1 : task.partitionId()));
        }
        if (context.threadsPerTask() > 0) {
            io.sparknas.net.Dl4jRuntime.useThreads(context.threadsPerTask());
        }
        Supernet supernet = SUPERNETS.computeIfAbsent(checkpoint.id(),
                id -> SupernetCheckpoint.weights(context.space(), checkpoint.value()));
        DetectionDataset dataset = ExecutorDatasets.get(context.data());
        String host = host();
        List<CandidateScore> scores = new ArrayList<>();
        while (requests.hasNext()) {
            CandidateRequest request = requests.next();
            SubnetEvaluator evaluator = new SubnetEvaluator(supernet, dataset.train(), dataset.val(),
                    context.recalibrationBatches(), context.batchSize(), request.seed(), context.engine())
                    .withAdaptation(context.adaptationSteps(), context.adaptationLearningRate());
            SubnetScore score = evaluator.evaluate(request.architecture());
            scores.add(new CandidateScore(request.candidateId(), score.map50(), score.mapCoco(), score.seconds(), host,
                    attempt));
        }
        return scores.iterator();
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
