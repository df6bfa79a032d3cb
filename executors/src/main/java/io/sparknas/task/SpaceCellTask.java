package io.sparknas.task;

import io.sparknas.cost.SpaceCell;
import io.sparknas.cost.SpaceCellStats;
import io.sparknas.cost.SpaceCellSurvey;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark function of stage-1 space selection: surveys one (resolution, width) cell on an executor. Carries only
 * the serializable survey (search space, cost model, sample count, root seed).
 */
public final class SpaceCellTask implements Function<SpaceCell, SpaceCellStats> {

    private static final long serialVersionUID = 1L;

    private final SpaceCellSurvey survey;

    public SpaceCellTask(SpaceCellSurvey survey) {
        this.survey = survey;
    }

    @Override
    public SpaceCellStats call(SpaceCell cell) {
        return survey.survey(cell);
    }
}
