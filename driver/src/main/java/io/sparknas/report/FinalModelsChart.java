package io.sparknas.report;

import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Test mAP of each final model trained without and with distillation, fp32 and (when exported) int8, with the
 * teacher's test mAP as a line.
 */
final class FinalModelsChart {

    /**
     * One final model: its label and test mAPs (with distillation null when not trained, the int8 ones null when
     * the model was not exported).
     */
    record Bar(String label, double withoutKd, Double withKd, Double int8WithoutKd, Double int8WithKd) {
    }

    private FinalModelsChart() {
    }

    static JFreeChart chart(List<Bar> bars, String teacher, double teacherMap) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Bar bar : bars) {
            data.addValue(bar.withoutKd(), "without distillation", bar.label());
            data.addValue(bar.withKd(), "with distillation", bar.label());
        }
        for (Bar bar : bars) {
            if (bar.int8WithoutKd() != null) {
                data.addValue(bar.int8WithoutKd(), "without distillation, int8", bar.label());
                data.addValue(bar.int8WithKd(), "with distillation, int8", bar.label());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Final models: test mAP@0.5 without and with distillation, fp32 and int8",
                "candidate (rank, seed)", "test mAP@0.5 (0-1)", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.addRangeMarker(MemoryProfileChart.marker(String.format(Locale.ROOT, "teacher (%s): %.4f", teacher,
                teacherMap), teacherMap, new Color(0, 120, 0), true));
        return chart;
    }
}
