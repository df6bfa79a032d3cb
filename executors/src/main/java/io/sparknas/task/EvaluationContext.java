package io.sparknas.task;

import io.sparknas.data.DatasetSource;
import io.sparknas.space.SearchSpace;

/**
 * Everything, besides the broadcast supernet, that a candidate-scoring task needs; small and serializable.
 *
 * @param space                the search space the supernet was trained for (its cell)
 * @param data                 where the dataset comes from; each executor loads it once and keeps it
 * @param recalibrationBatches training batches for BatchNorm recalibration
 * @param batchSize            images per recalibration and evaluation batch
 * @param threadsPerTask       ND4J threads per task, so tasks x threads does not oversubscribe the cores
 * @param failFirstAttempt     test only: the first attempt of every task of this job fails, to exercise retries
 * @param engine               what runs the validation forward pass ({@code eval.engine})
 * @param adaptationSteps      training steps each subnet gets from its inherited weights before it is scored
 *                             ({@code eval.adaptation-steps}; 0 for none)
 * @param adaptationLearningRate Adam's learning rate for those steps ({@code eval.adaptation-learning-rate})
 */
public record EvaluationContext(SearchSpace space, DatasetSource data, int recalibrationBatches, int batchSize,
                                int threadsPerTask, boolean failFirstAttempt, io.sparknas.export.EvalEngine engine,
                                int adaptationSteps, double adaptationLearningRate)
        implements java.io.Serializable {

    /** Without adaptation: inherited weights scored as they are. */
    public EvaluationContext(SearchSpace space, DatasetSource data, int recalibrationBatches, int batchSize,
                             int threadsPerTask, boolean failFirstAttempt, io.sparknas.export.EvalEngine engine) {
        this(space, data, recalibrationBatches, batchSize, threadsPerTask, failFirstAttempt, engine, 0, 0);
    }
}
