package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.results.CandidateTable;
import io.sparknas.results.LocalCopy;
import io.sparknas.results.RunIds;
import io.sparknas.results.RunManifest;
import io.sparknas.finalmodels.FinalModelRow;
import io.sparknas.finalmodels.FinalizeJob;
import io.sparknas.logging.RunLog;
import io.sparknas.search.CandidateRow;
import io.sparknas.search.SearchPipeline;
import io.sparknas.seed.Seeds;
import io.sparknas.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas search}: the whole hardware-aware architecture search, on Spark. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search for the detector with the best val mAP that fits the target: validate the "
                + "configuration, write run.json, stage-1 space selection, train the supernet in the best cell (or "
                + "use --supernet), then evolve (search.*): every candidate is checked against the budgets by the "
                + "cost model first, feasible new ones are scored with inherited weights as one Spark job per "
                + "generation, and each generation is committed to Parquet (candidates/, population/) before the "
                + "next starts. With an LLM endpoint (--llm-endpoint, llm.*) a share of each generation's offspring "
                + "is proposed by the LLM instead, every proposal recorded in proposals/. Then (final.after-search) the "
                + "best candidates are trained fully, without and with distillation (see 'sparknas finalize'). "
                + "One progress line per "
                + "generation. After a crash, --resume RUN_ID continues from the last committed generation with "
                + "nothing lost or repeated.", "",
                "Example: sparknas search                      (embedded default: local[*], synthetic data, stm32f746)",
                "         sparknas search --llm-endpoint http://localhost:11434/v1 --llm-model qwen2.5:7b-instruct",
                "         sparknas search --resume search-20261126-101500-ab12"})
public final class SearchCommand implements Callable<Integer>, ConfiguredCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue this run (same configuration).")
    String resume;

    @Option(names = "--supernet", paramLabel = "FILE", description = "A trained supernet checkpoint (from 'sparknas "
            + "supernet train') instead of training one: a local path or any Hadoop path (s3a://, hdfs://).")
    String supernet;

    @Option(names = "--mode", paramLabel = "MODE", description = "ga or random (default: search.mode).")
    String mode;

    @Option(names = "--population", paramLabel = "N", description = "Population size (default: search.population).")
    Integer population;

    @Option(names = "--generations", paramLabel = "N", description = "Generations (default: search.generations).")
    Integer generations;

    @Option(names = "--llm-endpoint", paramLabel = "URL", description = "OpenAI-compatible API of the LLM proposer, "
            + "e.g. http://localhost:11434/v1 for Ollama (default: llm.endpoint; empty: GA only).")
    String llmEndpoint;

    @Option(names = "--llm-model", paramLabel = "NAME", description = "Model the LLM proposer asks (default: llm.model).")
    String llmModel;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder (default: run.output-dir).")
    String output;

    @Option(names = "--run-id", paramLabel = "ID", description = "Id of a new run (default: generated).")
    String runIdOption;

    /** The configuration this command line gives: --config, --set, then this command's own options. */
    @Override
    public SparkNasConfig configuration() {
        List<String> options = new ArrayList<>();
        if (mode != null) {
            options.add("search.mode=\"" + mode.replace("\"", "") + "\"");
        }
        if (population != null) {
            options.add("search.population=" + population);
        }
        if (generations != null) {
            options.add("search.generations=" + generations);
        }
        if (llmEndpoint != null) {
            options.add("llm.endpoint=\"" + llmEndpoint.replace("\"", "") + "\"");
        }
        if (llmModel != null) {
            options.add("llm.model=\"" + llmModel.replace("\"", "") + "\"");
        }
        return common.load(options);
    }

    @Override
    public Integer call() {
        SparkNasConfig config = configuration();
        if (resume != null && runIdOption != null) {
            throw new UserInputException("--resume and --run-id exclude each other: --resume names the run to continue");
        }
        String runId;
        try {
            runId = resume != null ? RunIds.validate(resume)
                    : runIdOption != null ? RunIds.validate(runIdOption) : RunIds.generate("search");
        } catch (IllegalArgumentException e) {
            throw new UserInputException((resume != null ? "--resume: " : "--run-id: ") + e.getMessage(), e);
        }
        String runDir = (output != null ? output : config.run().outputDir()) + "/" + runId;
        PrintWriter printer = spec.commandLine().getOut();
        SparkSession spark = SparkSessions.create(config.spark());
        printer.printf("run %s -> %s (Spark UI: %s)%n", runId, runDir, SparkSessions.uiAddress(spark));
        printer.flush();
        if (resume != null && !RunManifest.exists(spark, runDir)) {
            throw new UserInputException("--resume " + resume + ": no run.json in " + runDir + " (is --output or "
                    + "run.output-dir the folder the run was written to?)");
        }
        Path supernetFile;
        try {
            supernetFile = supernet == null ? null : LocalCopy.of(supernet, spark, "--supernet");
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (resume == null && RunManifest.exists(spark, runDir)) {
            throw new UserInputException("run " + runId + " already exists in " + runDir + ": continue it with --resume "
                    + runId + ", or choose another --run-id");
        }
        RunIds.asLocal(runDir).ifPresent(dir -> RunLog.attach(dir.resolve("logs").resolve("driver.log")));
        if (resume == null) {
            Map<String, Long> seeds = new LinkedHashMap<>();
            seeds.put("run", config.run().seed());
            seeds.put("search", Seeds.derive(config.run().seed(), "search"));
            seeds.put("recalibration", Seeds.derive(config.run().seed(), "recalibration"));
            seeds.put("supernet", config.supernet().seed());
            RunManifest.write(spark, runDir, runId, String.join(" ", spec.commandLine().getParseResult()
                    .originalArgs()), config.renderJson(), seeds, config.target(), config.cost().plan().configName());
        }
        SearchPipeline.Outcome outcome;
        try {
            outcome = new SearchPipeline(config, spark, runId, runDir, line -> {
                printer.println(line);
                printer.flush();
            }).run(supernetFile);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        printer.printf(Locale.ROOT, "%n%d candidates, %d feasible. %s on %s:%n", outcome.candidates(),
                outcome.feasible(), outcome.objective() instanceof io.sparknas.search.SearchObjective.Pareto pareto
                        ? "Pareto front of " + pareto : "Best feasible", config.target().name());
        printer.printf("%-4s %-8s %8s %9s %10s %10s %8s  %s%n", "rank", "mAP@0.5", "MMACs", "SRAM KiB", "Flash KiB",
                "latency ms", "gen", "architecture");
        int rank = 1;
        for (CandidateRow row : outcome.best()) {
            printer.printf(Locale.ROOT, "%-4d %-8.4f %8.2f %9.1f %10.1f %10.1f %8d  %s%n", rank++, row.map50(),
                    row.costs().macs() / 1e6, row.costs().peakSram() / 1024.0, row.costs().flash().total() / 1024.0,
                    row.costs().latencyMs(), row.generation(), row.architecture().shortName());
        }
        printer.printf("%nresults: %s/%s (Parquet, partitioned by generation), %s/population, %s/space_selection, "
                + "%s/run.json%n", runDir, CandidateTable.FOLDER, runDir, runDir, runDir);
        printer.flush();
        if (config.finals().afterSearch() && outcome.feasible() > 0) {
            printer.printf("%nfinalize (final.after-search): the best %d candidate(s), %d seed(s), %d epochs%n",
                    config.finals().top(), config.finals().seeds(), config.finals().epochs());
            try {
                List<FinalModelRow> rows = new FinalizeJob(config, spark, runId, runDir, line -> {
                    printer.println(line);
                    printer.flush();
                }).run(new FinalizeJob.Request(config.finals().top(), config.finals().seeds(),
                        config.finals().epochs(), null, null, supernetFile));
                FinalizeCommand.print(printer, rows, runDir);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
        }
        RunLog.file().ifPresent(log -> printer.printf("%nlog: %s%n", log));
        printer.flush();
        return 0;
    }
}
