package io.sparknas.report;

import io.sparknas.run.Proposer;
import io.sparknas.run.CandidateCosts;
import io.sparknas.run.CandidateRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Target;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/** The report's plots: axes with units, the target's budget lines, the Pareto front, progress by proposer. */
class ReportChartsTest {

    private static final SparkNasConfig CONFIG = ConfigLoader.load(null, List.of("budgets.latency-ms=80"));

    private static List<CandidateRow> rows() {
        SearchSpace cell = CONFIG.space().narrow(96, 0.5);
        CostModel model = new CostModel(cell, CONFIG.target(), CONFIG.cost());
        SplittableRandom random = new SplittableRandom(4);
        List<CandidateRow> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Architecture a = cell.sample(random);
            rows.add(new CandidateRow("r", i / 10, "id" + i, i % 3 == 0 ? Proposer.LLM : Proposer.GA, a,
                    CandidateCosts.of(model.evaluate(a)),
                    random.nextDouble() * 0.5, 0.1, 1.0, 1, "p"));
        }
        return rows;
    }

    @Test
    void theBreedingChartShowsEachGenerationsDuplicateAndOverBudgetShares() {
        List<io.sparknas.run.GenerationSummary> summaries = List.of(
                new io.sparknas.run.GenerationSummary(0, "ga", 8, 8, 0, 0, 0, 0.1, 1.5, 1.0),
                new io.sparknas.run.GenerationSummary(1, "ga", 4, 10, 1, 5, 0, 0.2, 2.5, 1.0),
                new io.sparknas.run.GenerationSummary(2, "ga", 4, 8, 2, 2, 0, 0.2, null, 1.0));
        XYPlot plot = BreedingChart.tries(summaries).getXYPlot();
        assertEquals("share of the searcher's tries (%)", plot.getRangeAxis().getLabel());
        assertEquals(10.0, plot.getDataset().getYValue(0, 1), 1e-9, "1 duplicate of 10 tries");
        assertEquals(50.0, plot.getDataset().getYValue(1, 1), 1e-9, "5 over budget of 10");
        assertEquals(25.0, plot.getDataset().getYValue(0, 2), 1e-9);
        XYPlot volume = BreedingChart.hypervolume(summaries).getXYPlot();
        assertEquals(2, volume.getDataset().getItemCount(0), "generations with a hypervolume");
    }

    @Test
    void paretoChartsHaveUnitsTheBudgetLineAndTheFront() {
        Target target = CONFIG.target();
        List<CandidateRow> scored = rows().stream().filter(CandidateRow::feasible).toList();
        for (ParetoChart.Cost cost : ParetoChart.Cost.values()) {
            JFreeChart chart = ParetoChart.chart(scored, cost, target);
            XYPlot plot = chart.getXYPlot();
            assertTrue(plot.getDomainAxis().getLabel().matches(".*\\((KiB|millions|ms)\\)"),
                    plot.getDomainAxis().getLabel());
            assertEquals("val mAP@0.5 (inherited weights, 0-1)", plot.getRangeAxis().getLabel());
            assertEquals(scored.size(), plot.getDataset().getItemCount(0), "every feasible scored candidate");
            assertTrue(plot.getDataset().getItemCount(1) >= 1, "the front");
            java.util.Collection<?> markers = plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND);
            if (cost == ParetoChart.Cost.MACS) {
                assertTrue(markers == null || markers.isEmpty(), "MACs have no budget");
                assertTrue(chart.getSubtitleCount() > 0, "and the chart says so");
            } else {
                double budget = cost == ParetoChart.Cost.SRAM
                        ? (target.sramBytes() - target.runtimeSramBytes()) / 1024.0 : 80.0;
                assertEquals(budget, ((ValueMarker) markers.iterator().next()).getValue(), 1e-9, cost.name());
                assertTrue(((Marker) markers.iterator().next()).getLabel().startsWith("budget on " + target.name()));
            }
        }
    }

    @Test
    void progressIsTheBestSoFarByProposer() {
        List<CandidateRow> rows = rows();
        XYPlot plot = ProgressChart.chart(rows).getXYPlot();
        assertEquals("generation (0: initial population)", plot.getDomainAxis().getLabel());
        assertEquals(3, plot.getDataset().getSeriesCount(), "all, ga, llm");
        double best = rows.stream().filter(r -> r.feasible() && r.evaluated()).mapToDouble(CandidateRow::map50).max()
                .orElseThrow();
        int all = plot.getDataset().indexOf("best so far, all proposers");
        int last = plot.getDataset().getItemCount(all) - 1;
        assertEquals(best, plot.getDataset().getYValue(all, last), 1e-12);
        for (int i = 1; i <= last; i++) {
            assertTrue(plot.getDataset().getYValue(all, i) >= plot.getDataset().getYValue(all, i - 1), "never falls");
        }
    }
}
