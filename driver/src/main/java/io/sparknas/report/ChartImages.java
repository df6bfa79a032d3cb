package io.sparknas.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Charts as PNG bytes and as {@code data:} URIs, so a report is one self-contained HTML file. */
final class ChartImages {

    static final int WIDTH = 900;
    static final int HEIGHT = 480;

    private ChartImages() {
    }

    static byte[] png(JFreeChart chart) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + chart.getTitle().getText(), e);
        }
    }

    static String dataUri(JFreeChart chart) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(chart));
    }
}
