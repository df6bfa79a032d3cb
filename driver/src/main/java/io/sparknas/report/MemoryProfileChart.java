package io.sparknas.report;

import io.sparknas.cost.Costs;
import io.sparknas.cost.LayerCost;
import io.sparknas.cost.Target;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The per-layer SRAM profile of one network as a PNG, in the manner of MCUNetV2's Figure 1: KiB in use at each
 * layer under the layer-by-layer and in-place plans, with the patch-based peak and the target's SRAM budget as
 * horizontal lines.
 */
public final class MemoryProfileChart {

    private MemoryProfileChart() {
    }

    /** Writes the chart to {@code file} ({@code width × height} pixels). */
    public static void write(String title, List<LayerCost> layers, Costs costs, Target target, File file, int width,
                             int height) throws IOException {
        ChartUtils.saveChartAsPNG(file, chart(title, layers, costs, target), width, height);
    }

    /** The chart. */
    public static JFreeChart chart(String title, List<LayerCost> layers, Costs costs, Target target) {
        XYSeries layerByLayer = new XYSeries("(a) layer by layer");
        XYSeries inPlace = new XYSeries("(b) in-place depthwise");
        for (LayerCost layer : layers) {
            layerByLayer.add(layer.index(), layer.sramLayerByLayer() / 1024.0);
            inPlace.add(layer.index(), layer.sramInPlace() / 1024.0);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(layerByLayer);
        data.addSeries(inPlace);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "layer (execution order)",
                "SRAM in use (KiB)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        plot.getRenderer().setSeriesStroke(1, new BasicStroke(2f));
        double budget = (target.sramBytes() - target.runtimeSramBytes()) / 1024.0;
        double patchPeak = costs.patch().peak() / 1024.0;
        plot.addRangeMarker(marker("SRAM budget, " + target.name() + " less runtime: " + Math.round(budget) + " KiB",
                budget, Color.RED, true));
        plot.addRangeMarker(marker("(c) patch-based peak: " + Math.round(patchPeak) + " KiB", patchPeak,
                new Color(0, 120, 0), false));
        double top = Math.max(Math.max(budget, patchPeak), costs.peakLayerByLayer() / 1024.0);
        plot.getRangeAxis().setRange(0, top * 1.1);
        return chart;
    }

    static ValueMarker marker(String label, double value, Color color, boolean left) {
        ValueMarker marker = new ValueMarker(value, color, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelAnchor(left ? org.jfree.chart.ui.RectangleAnchor.TOP_LEFT
                : org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT);
        marker.setLabelTextAnchor(left ? org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT
                : org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
        return marker;
    }
}
