package io.sparknas.config;

import com.typesafe.config.Config;
import io.sparknas.llm.LlmSettings;
import com.typesafe.config.ConfigRenderOptions;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Target;
import io.sparknas.data.DatasetSource;
import io.sparknas.train.TrainingSettings;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.space.SearchSpace;

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
 */
public record SparkNasConfig(Config resolved, RunSettings run, SparkSettings spark, Target target,
                             SearchSpace space, CostSettings cost, DatasetSource data, TrainingSettings training,
                             SupernetSettings supernet, SearchSettings search,
                             SpaceSelectionSettings spaceSelection, LlmSettings llm,
                             FinalSettings finals) {

    /** The resolved configuration as JSON, without comments. */
    public String renderJson() {
        return resolved.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
