package io.sparknas.task;

import io.sparknas.cost.CostModel;
import io.sparknas.data.AugmentedViews;
import io.sparknas.data.DatasetSource;
import io.sparknas.space.SearchSpace;
import io.sparknas.train.DistillationSettings;
import io.sparknas.train.TrainingSettings;

/**
 * What every final-training task shares besides the broadcasts; small and serializable.
 *
 * @param space          the search space (its cell), for the head and the supernet's layout
 * @param costModel      lowers architectures to layer graphs
 * @param data           where the dataset comes from
 * @param training       the training settings; each request's seed replaces theirs
 * @param distillation   λ, temperature, threshold
 * @param inherited      whether training starts from the supernet's weights (else from scratch)
 * @param artifactDir    the folder (any Hadoop path) the trained models are written to
 * @param threadsPerTask ND4J threads per task
 * @param calibrationImages training images that calibrate the int8 export's activation ranges
 * @param views          the augmented views both runs of a training cycle through; null for the plain images
 * @param resumeKey      what else decides a training's result (the teacher's and the supernet's fingerprints), part
 *                       of each {@link FinalTrainingRecord}'s key
 */
public record FinalTrainingContext(SearchSpace space, CostModel costModel, DatasetSource data, TrainingSettings training,
                                   DistillationSettings distillation, boolean inherited, String artifactDir,
                                   int threadsPerTask, int calibrationImages, AugmentedViews views,
                                   String resumeKey) implements java.io.Serializable {
}
