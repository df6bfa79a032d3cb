package io.sparknas.search;

import io.sparknas.task.CandidateEvaluationTask;
import io.sparknas.task.CandidateRequest;
import io.sparknas.task.CandidateScore;
import io.sparknas.task.EvaluationContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Scores candidates on the cluster: one Spark job per call, the candidates spread over partitions, the supernet
 * checkpoint broadcast once (as bytes) for the whole search. By default each candidate is its own task: candidates
 * differ several-fold in cost, and many small tasks let the scheduler balance them over the cores, where a few large
 * partitions would leave cores idle behind the slowest one (the supernet and dataset are cached per executor JVM,
 * so a task costs little more than its candidate).
 */
public final class SparkScorer implements CandidateScorer, AutoCloseable {

    private final JavaSparkContext context;
    private final Broadcast<byte[]> checkpoint;
    private final EvaluationContext evaluation;
    private final int partitions;

    public SparkScorer(SparkSession spark, byte[] checkpointBytes, EvaluationContext evaluation, int partitions) {
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.checkpoint = context.broadcast(checkpointBytes);
        this.evaluation = evaluation;
        this.partitions = partitions;
    }

    /** Scores every request in one job; the result maps candidate id to score. */
    @Override
    public Map<String, CandidateScore> score(List<CandidateRequest> requests, String jobDescription) {
        Map<String, CandidateScore> scores = new HashMap<>();
        if (requests.isEmpty()) {
            return scores;
        }
        context.setJobDescription(jobDescription);
        int slices = partitions > 0 ? Math.min(partitions, requests.size()) : requests.size();
        for (CandidateScore score : context.parallelize(requests, slices)
                .mapPartitions(new CandidateEvaluationTask(checkpoint, evaluation)).collect()) {
            scores.putIfAbsent(score.candidateId(), score);
        }
        return scores;
    }

    @Override
    public void close() {
        checkpoint.destroy();
    }
}
