package io.sparknas.report;

import io.sparknas.cost.Target;
import io.sparknas.run.CandidateRow;
import io.sparknas.search.SearchObjective;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Val mAP against one hardware cost for every feasible scored candidate, the Pareto front of the two drawn as a
 * line, and the target's budget for that cost as a vertical line (MACs have no budget: the chart says so).
 */
final class ParetoChart {

    /** The cost on the horizontal axis. */
    enum Cost {
        SRAM("peak SRAM (KiB)", r -> r.costs().peakSram() / 1024.0),
        MACS("MACs (millions)", r -> r.costs().macs() / 1e6),
        LATENCY("estimated latency (ms)", r -> r.costs().latencyMs());

        final String axis;
        final ToDoubleFunction<CandidateRow> value;

        Cost(String axis, ToDoubleFunction<CandidateRow> value) {
            this.axis = axis;
            this.value = value;
        }
    }

    private ParetoChart() {
    }

    static JFreeChart chart(List<CandidateRow> feasibleScored, Cost cost, Target target) {
        XYSeries all = new XYSeries("feasible candidates (" + feasibleScored.size() + ")", false, true);
        for (CandidateRow row : feasibleScored) {
            all.add(cost.value.applyAsDouble(row), row.map50());
        }
        List<CandidateRow> front = SearchObjective.Pareto.front(feasibleScored, cost.value).stream()
                .sorted(Comparator.comparingDouble(cost.value)).toList();
        XYSeries line = new XYSeries("Pareto front (" + front.size() + ")", false, true);
        for (CandidateRow row : front) {
            line.add(cost.value.applyAsDouble(row), row.map50());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(all);
        data.addSeries(line);
        JFreeChart chart = ChartFactory.createXYLineChart("val mAP@0.5 against " + cost.axis, cost.axis,
                "val mAP@0.5 (inherited weights, 0-1)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesPaint(0, new Color(70, 110, 180));
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, true);
        renderer.setSeriesPaint(1, new Color(220, 120, 0));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        double budget = switch (cost) {
            case SRAM -> (target.sramBytes() - target.runtimeSramBytes()) / 1024.0;
            case LATENCY -> target.latencyBudgetMs();
            case MACS -> 0;
        };
        if (budget > 0) {
            org.jfree.chart.plot.ValueMarker budgetLine = MemoryProfileChart.marker(String.format(Locale.ROOT,
                    "budget on %s: %.0f", target.name(), budget), budget, Color.RED, true);
            budgetLine.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            budgetLine.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
            budgetLine.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(8, 4, 4, 4));
            plot.addDomainMarker(budgetLine);
            double top = Math.max(budget, all.getItemCount() == 0 ? budget : all.getMaxX());
            plot.getDomainAxis().setRange(0, top * 1.08);
        } else {
            chart.addSubtitle(new org.jfree.chart.title.TextTitle(cost == Cost.MACS
                    ? "no MAC budget: MACs bound latency, whose budget is on the latency chart"
                    : "no latency budget on " + target.name()));
        }
        return chart;
    }
}
