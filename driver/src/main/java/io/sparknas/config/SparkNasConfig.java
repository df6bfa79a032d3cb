package io.sparknas.config;

import com.typesafe.config.Config;
import io.sparknas.llm.LlmSettings;
import com.typesafe.config.ConfigRenderOptions;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Target;
import io.sparknas.data.ClassList;
import io.sparknas.data.DatasetSource;
import io.sparknas.train.TrainingSettings;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.space.SearchSpace;
import java.util.Optional;

/**
 * The whole validated configuration of a SparkNAS run, as typed records, plus the resolved HOCON it came from
 * (for run.json).
 *
 * @param resolved       the merged configuration, defaults included
 * @param run            output and seed
 * @param spark          session settings
 * @param target         the microcontroller
 * @param space          the search space
 * @param cost           memory-plan settings
 * @param data           where the detection data comes from
 * @param training       how one detector is trained
 * @param supernet       how the weight-sharing supernet is trained and its subnets scored
 * @param search         the architecture search
 * @param spaceSelection stage-1 settings
 * @param llm            the LLM proposer
 * @param finals         stage 5: full training of the best candidates
 * @param classes        the dataset's class names and where they were found; {@code data} and {@code resolved}
 *                       carry the same names as {@code data.classes}
 */
public record SparkNasConfig(Config resolved, RunSettings run, SparkSettings spark, Target target,
                             SearchSpace space, CostSettings cost, DatasetSource data, TrainingSettings training,
                             SupernetSettings supernet, SearchSettings search,
                             SpaceSelectionSettings spaceSelection, LlmSettings llm,
                             FinalSettings finals, ClassList classes) {

    /**
     * The line a command prints when it loads the data and the class list was gathered from the annotations rather
     * than declared, e.g. {@code data: 20 classes from the train annotations (no classes.txt): aeroplane, ...};
     * otherwise empty.
     */
    public Optional<String> gatheredClassesNotice() {
        return classes.gathered() ? Optional.of("data: " + classes.describe()) : Optional.empty();
    }

    /**
     * {@code supernet.parallelism}: shards (Spark tasks) per supernet training step; 0 for one per core of the
     * cluster. Not part of {@link SupernetSettings}: it says where the training runs, and a resumed run may change it.
     */
    public int supernetParallelism() {
        return resolved.getInt("supernet.parallelism");
    }

    /** {@code eval.engine}: what runs a scored subnet's validation forward pass. */
    public io.sparknas.export.EvalEngine evalEngine() {
        return io.sparknas.export.EvalEngine.fromConfigName(resolved.getString("eval.engine"));
    }

    /** {@code eval.adaptation-steps}: training steps each scored subnet gets from its inherited weights; 0 for none. */
    public int adaptationSteps() {
        int steps = resolved.getInt("eval.adaptation-steps");
        if (steps < 0) {
            throw new IllegalArgumentException("eval.adaptation-steps must be 0 or more, got " + steps);
        }
        return steps;
    }

    /** {@code eval.adaptation-learning-rate}: Adam's learning rate for the adaptation steps. */
    public double adaptationLearningRate() {
        double rate = resolved.getDouble("eval.adaptation-learning-rate");
        if (!(rate > 0)) {
            throw new IllegalArgumentException("eval.adaptation-learning-rate must be positive, got " + rate);
        }
        return rate;
    }

    /** {@code final.teacher.parallelism}: shards (Spark tasks) per teacher training step; 0 for one per core. */
    public int teacherParallelism() {
        return resolved.getInt("final.teacher.parallelism");
    }

    /** {@code train.init}: the weights {@code sparknas train} starts from; empty for a random initialisation. */
    public Optional<java.nio.file.Path> trainingInit() {
        String value = resolved.getString("train.init").trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(java.nio.file.Path.of(value));
    }

    /** The resolved configuration as JSON, without comments. */
    public String renderJson() {
        return resolved.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
