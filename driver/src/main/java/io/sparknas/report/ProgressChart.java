package io.sparknas.report;

import io.sparknas.run.CandidateRow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The best feasible val mAP found so far, generation by generation: overall, and by proposer (GA, LLM, random). */
final class ProgressChart {

    private ProgressChart() {
    }

    static JFreeChart chart(List<CandidateRow> rows) {
        TreeSet<Integer> generations = new TreeSet<>();
        Map<String, TreeMap<Integer, Double>> bestByProposer = new TreeMap<>();
        for (CandidateRow row : rows) {
            generations.add(row.generation());
            if (row.feasible() && row.evaluated()) {
                bestByProposer.computeIfAbsent(row.proposer().text(), p -> new TreeMap<>())
                        .merge(row.generation(), row.map50(), Math::max);
                bestByProposer.computeIfAbsent("all", p -> new TreeMap<>())
                        .merge(row.generation(), row.map50(), Math::max);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, TreeMap<Integer, Double>> entry : bestByProposer.entrySet()) {
            XYSeries series = new XYSeries(entry.getKey().equals("all") ? "best so far, all proposers"
                    : "best so far from " + entry.getKey(), true, false);
            double best = Double.NaN;
            for (int generation : generations) {
                Double value = entry.getValue().get(generation);
                if (value != null && (Double.isNaN(best) || value > best)) {
                    best = value;
                }
                if (!Double.isNaN(best)) {
                    series.add(generation, best);
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Best feasible val mAP@0.5 per generation",
                "generation (0: initial population)", "best val mAP@0.5 so far (0-1)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        for (int i = 0; i < data.getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
        }
        return chart;
    }
}
