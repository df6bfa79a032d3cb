package io.sparknas.report;

import io.sparknas.run.GenerationSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * How each generation's children were found ({@code generations/}): the share of the searcher's tries that were
 * duplicates of known candidates and the share that did not fit the budgets, both redrawn before scoring; and, in
 * two-objective runs, a second chart of the Pareto front's hypervolume.
 */
final class BreedingChart {

    private BreedingChart() {
    }

    static JFreeChart tries(List<GenerationSummary> summaries) {
        XYSeries duplicates = new XYSeries("duplicates (redrawn)", true, false);
        XYSeries overBudget = new XYSeries("over budget (recorded infeasible, redrawn)", true, false);
        for (GenerationSummary s : summaries) {
            if (s.attempts() > 0) {
                duplicates.add(s.generation(), 100.0 * s.duplicates() / s.attempts());
                overBudget.add(s.generation(), 100.0 * s.overBudget() / s.attempts());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(duplicates);
        data.addSeries(overBudget);
        return styled(ChartFactory.createXYLineChart("Children that were not scored, per generation",
                "generation (0: initial sample)", "share of the searcher's tries (%)", data, PlotOrientation.VERTICAL,
                true, false, false));
    }

    static JFreeChart hypervolume(List<GenerationSummary> summaries) {
        XYSeries volume = new XYSeries("hypervolume of the front so far", true, false);
        for (GenerationSummary s : summaries) {
            if (s.hypervolume() != null) {
                volume.add(s.generation(), s.hypervolume());
            }
        }
        return styled(ChartFactory.createXYLineChart("Hypervolume of the Pareto front, per generation",
                "generation (0: initial sample)", "hypervolume (mAP x cost saved)", new XYSeriesCollection(volume),
                PlotOrientation.VERTICAL, true, false, false));
    }

    private static JFreeChart styled(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
        }
        return chart;
    }
}
