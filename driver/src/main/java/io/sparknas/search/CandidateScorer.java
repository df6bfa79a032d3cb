package io.sparknas.search;

import io.sparknas.task.CandidateRequest;
import io.sparknas.task.CandidateScore;
import java.util.List;
import java.util.Map;

/**
 * Scores candidates: {@link SparkScorer} with inherited weights on the cluster; a benchmark can score them by a
 * known function instead, to measure the search itself.
 */
public interface CandidateScorer {

    /** Scores every request; the result maps candidate id to score. */
    Map<String, CandidateScore> score(List<CandidateRequest> requests, String jobDescription);
}
