package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import org.junit.jupiter.api.Test;

class SpaceCellSurveyTest {

    private final SearchSpace space = TestSpaces.standard();
    private final CostModel model = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT);

    @Test
    void surveyIsDeterministicPerSeedAndCell() {
        SpaceCell cell = new SpaceCell(128, 0.5);
        SpaceCellStats a = new SpaceCellSurvey(space, model, 300, 42).survey(cell);
        SpaceCellStats b = new SpaceCellSurvey(space, model, 300, 42).survey(cell);
        assertEquals(a, b);
        assertNotEquals(a.seed(), new SpaceCellSurvey(space, model, 300, 43).survey(cell).seed());
    }

    @Test
    void statisticsAreConsistent() {
        SpaceCellStats stats = new SpaceCellSurvey(space, model, 400, 1).survey(new SpaceCell(160, 0.6));
        assertEquals(400, stats.samples());
        assertTrue(stats.feasible() > 0 && stats.feasible() < 400, "a middle cell is partly feasible: " + stats);
        assertTrue(stats.p10Macs() <= stats.p50Macs() && stats.p50Macs() <= stats.p90Macs()
                && stats.p90Macs() <= stats.maxMacs());
        assertTrue(stats.meanMacs() >= stats.p10Macs() && stats.meanMacs() <= stats.maxMacs());
        // the default space never needs 1 MB of Flash and sets no latency budget: SRAM is what rules samples out
        assertEquals(0, stats.flashViolations());
        assertEquals(0, stats.latencyViolations());
        assertEquals(400 - stats.feasible(), stats.sramViolations(), "every infeasible sample broke a budget");
    }

    @Test
    void largeInputsFitLessOften() {
        SpaceCellSurvey survey = new SpaceCellSurvey(space, model, 300, 5);
        double small = survey.survey(new SpaceCell(64, 0.5)).feasibleFraction();
        double large = survey.survey(new SpaceCell(224, 0.5)).feasibleFraction();
        assertEquals(1.0, small, 1e-9, "every 64 px, width 0.5 network fits 320 KB");
        assertTrue(large < 0.6, "many 224 px networks do not fit: " + large);
    }

    @Test
    void percentileUsesNearestRank() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(10, SpaceCellSurvey.percentile(sorted, 0.10));
        assertEquals(50, SpaceCellSurvey.percentile(sorted, 0.50));
        assertEquals(90, SpaceCellSurvey.percentile(sorted, 0.90));
        assertEquals(0, SpaceCellSurvey.percentile(new long[0], 0.5));
    }
}
