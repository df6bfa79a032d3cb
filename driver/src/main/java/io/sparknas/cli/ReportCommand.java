package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.report.RunReport;
import io.sparknas.run.Run;
import io.sparknas.spark.SparkSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas report}: one self-contained HTML report of a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML file (plots embedded as PNG) for a run: Pareto fronts of val "
                + "mAP against peak SRAM, MACs and latency with the budgets, best mAP per generation by proposer, "
                + "the stage-1 table, the best model's per-layer memory profile under the three plans, LLM "
                + "proposals, the final models without and with distillation, configuration and provenance.", "",
                "Example: sparknas report --run search-20261126-101500-ab12   (writes RUN/report.html)"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    RunSelection selection;

    @Option(names = "--out", paramLabel = "FILE", description = "The HTML file (default: RUN/report.html, also in a "
            + "run folder on S3 or HDFS).")
    Path out;

    @Override
    public Integer call() {
        SparkNasConfig config = common.load();
        SparkSession spark = SparkSessions.create(config.spark());
        Run run = selection.open(spark, config, line -> { });
        String html;
        try {
            html = new RunReport(run).html();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        String written = out != null ? writeLocal(out, html).toString() : run.writeText("report.html", html);
        spec.commandLine().getOut().printf("report: %s (%,d bytes)%n", written, html.length());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Writes the run's report into its folder after a search or finalize and says where, or why not: a report
     * that cannot be drawn never fails the job whose results it shows.
     */
    static void writeAfterJob(Run run, java.io.PrintWriter out) {
        try {
            String html = new RunReport(run).html();
            out.printf("report: %s (open it in a browser; 'sparknas report --run %s' writes it again)%n",
                    run.writeText("report.html", html), run.id());
        } catch (RuntimeException e) {
            out.printf("report: not written (%s); 'sparknas report --run %s' tries again%n", e.getMessage(), run.id());
        }
        out.flush();
    }

    private static Path writeLocal(Path file, String html) {
        try {
            Files.writeString(file, html, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UserInputException("--out: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
