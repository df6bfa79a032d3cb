package io.sparknas.report;

import java.util.List;
import org.jfree.chart.JFreeChart;

/** A small HTML page builder: headings, paragraphs, tables, embedded charts, all text escaped. */
final class Html {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    Html(String title) {
        this.title = title;
    }

    void heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
    }

    void paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
    }

    void preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
    }

    void image(JFreeChart chart, String alt) {
        body.append("<figure><img alt=\"").append(escape(alt)).append("\" width=\"").append(ChartImages.WIDTH)
                .append("\" height=\"").append(ChartImages.HEIGHT).append("\" src=\"")
                .append(ChartImages.dataUri(chart)).append("\"></figure>\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        body.append("<table><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(escape(cell)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String toString() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}th{background:#f3f3f3}pre{background:#f7f7f7;padding:1em;overflow:auto;"
                + "font-size:12px}figure{margin:1em 0}</style></head>\n<body>\n<h1>" + escape(title) + "</h1>\n"
                + body + "</body></html>\n";
    }
}
