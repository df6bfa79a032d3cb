package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.SpaceCellStats;
import io.sparknas.run.RankedCell;
import io.sparknas.run.Run;
import io.sparknas.run.SpaceSelectionRow;
import io.sparknas.run.RunIds;
import io.sparknas.selection.SpaceSelectionJob;
import io.sparknas.spark.SparkSessions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sparknas space}: stage 1 of TinyNAS, choosing the (resolution, width) configuration for a target. */
@Command(name = "space", mixinStandardHelpOptions = true,
        description = {"Stage 1 of TinyNAS: for every (resolution, width) pair of the search space, sample "
                + "architectures on Spark, measure the share that fits the target and the MACs of those that fit, "
                + "and rank the pairs (highest mean MACs among fitting models first, as MCUNet does). Prints the "
                + "table and writes it as Parquet to OUTPUT/RUN_ID/space_selection/.", "",
                "Example: sparknas space --target stm32f746"})
public final class SpaceCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SpaceCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--samples", paramLabel = "N",
            description = "Architectures sampled per cell (default: space-selection.samples-per-cell).")
    Integer samples;

    @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run folder (default: space-DATE-TIME-XXXX).")
    String runId;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder (default: run.output-dir).")
    String output;

    @Override
    public Integer call() {
        SparkNasConfig config = common.load();
        if (samples != null && samples < 1) {
            throw new UserInputException("--samples: must be at least 1, got " + samples);
        }
        String id;
        try {
            id = runId == null ? RunIds.generate("space") : RunIds.validate(runId);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--run-id: " + e.getMessage(), e);
        }
        int perCell = samples != null ? samples : config.spaceSelection().samplesPerCell();
        String outputDir = output != null ? output : config.run().outputDir();
        SparkSession spark = SparkSessions.create(config.spark());
        if (Run.exists(spark, outputDir, id)) {
            throw new UserInputException("run " + id + " already exists in " + Run.folder(outputDir, id)
                    + ": choose another --run-id");
        }
        PrintWriter out = spec.commandLine().getOut();
        Run run = Run.create(spark, outputDir, id, config, String.join(" ", spec.commandLine().getParseResult()
                .originalArgs()), Map.of("run", config.run().seed()), line -> {
                    out.println(line);
                    out.flush();
                });
        run.keepLog();
        SpaceSelectionJob job = new SpaceSelectionJob(config.space(), run.costModel(), perCell,
                config.spaceSelection().partitions(), config.run().seed(),
                config.spaceSelection().minFeasibleFraction());
        LOG.info("space selection: {} cells x {} samples on {} (Spark UI: {})", job.cells().size(), perCell,
                config.target().name(), SparkSessions.uiAddress(spark));
        long start = System.nanoTime();
        List<RankedCell> ranked = job.run(spark);
        run.spaceSelection().write(ranked.stream().map(cell -> new SpaceSelectionRow(id, config.target().name(),
                cell, config.cost().plan().configName())).toList());
        String path = run.spaceSelection().location();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.print(format(ranked, config));
        out.printf(Locale.ROOT, "%d cells, %,d architectures costed in %.1f s; table written to %s%n",
                ranked.size(), (long) ranked.size() * perCell, seconds, path);
        out.flush();
        return 0;
    }

    static String format(List<RankedCell> ranked, SparkNasConfig config) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Stage-1 space selection for %s (SRAM %,d B, Flash %,d B, plan %s)%n",
                config.target().name(), config.target().sramBytes(), config.target().flashBytes(),
                config.cost().plan().configName()));
        out.append(String.format(Locale.ROOT, "%4s %5s %5s %9s %10s %10s %10s %10s %12s%n", "rank", "res", "width",
                "feasible", "mean MMAC", "p10 MMAC", "p50 MMAC", "max MMAC", "p50 SRAM KiB"));
        for (RankedCell cell : ranked) {
            SpaceCellStats s = cell.stats();
            out.append(String.format(Locale.ROOT, "%4d %5d %5.1f %8.1f%% %10.2f %10.2f %10.2f %10.2f %12.1f%n",
                    cell.rank(), s.cell().resolution(), s.cell().width(), 100 * s.feasibleFraction(),
                    s.meanMacs() / 1e6, s.p10Macs() / 1e6, s.p50Macs() / 1e6, s.maxMacs() / 1e6,
                    s.medianPeakSram() / 1024.0));
        }
        return out.toString();
    }
}
