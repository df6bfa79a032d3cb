package io.sparknas.cli;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.OptionValue;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.finalmodels.FinalizeJob;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.FinalModelRow;
import io.sparknas.run.LocalCopy;
import io.sparknas.run.Run;
import io.sparknas.run.RunIds;
import io.sparknas.run.RunManifest;
import io.sparknas.search.SearchObjective;
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
import java.util.function.Consumer;
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
                + "generation. After a crash, --resume RUN_ID alone continues from the last committed generation with "
                + "nothing lost or repeated: the configuration, target and --supernet come from the run's run.json, and "
                + "an option that would change them is refused.", "",
                "Example: sparknas search                      (embedded default: local[*], synthetic data, stm32f746)",
                "         sparknas search --llm-endpoint http://localhost:11434/v1 --llm-model qwen2.5:7b-instruct",
                "         sparknas search --resume search-20261126-101500-ab12"})
public final class SearchCommand implements Callable<Integer>, ConfiguredCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue this run as it was started "
            + "(configuration, target and --supernet from its run.json; with --output if it was given one).")
    String resume;

    @Option(names = "--supernet", paramLabel = "FILE", description = "A trained supernet checkpoint (from 'sparknas "
            + "supernet train') instead of training one: a local path or any Hadoop path (s3a://, hdfs://).")
    String supernet;

    @Option(names = "--mode", paramLabel = "MODE", description = "ga, aging or random (default: search.mode).")
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

    /** The configuration, once loaded: a sweep validates it and then runs the same command. */
    private SparkNasConfig loaded;

    /** The configuration this command line gives: --config, --set, then this command's own options. */
    @Override
    public SparkNasConfig configuration() {
        if (loaded == null) {
            loaded = common.load(ownOptions());
        }
        return loaded;
    }

    /** This command's own options that set configuration keys, as given. */
    private List<OptionValue> ownOptions() {
        List<OptionValue> options = new ArrayList<>();
        if (mode != null) {
            options.add(new OptionValue("search.mode", mode, "--mode"));
        }
        if (population != null) {
            options.add(new OptionValue("search.population", population, "--population"));
        }
        if (generations != null) {
            options.add(new OptionValue("search.generations", generations, "--generations"));
        }
        if (llmEndpoint != null) {
            options.add(new OptionValue("llm.endpoint", llmEndpoint, "--llm-endpoint"));
        }
        if (llmModel != null) {
            options.add(new OptionValue("llm.model", llmModel, "--llm-model"));
        }
        return options;
    }

    /** Every option of this command line that sets a configuration key, apart from --config and --set. */
    private List<OptionValue> commandOptions() {
        List<OptionValue> options = new ArrayList<>();
        if (common.strict) {
            options.add(new OptionValue("data.strict", true, "--strict"));
        }
        if (common.target != null) {
            options.add(new OptionValue("target", common.target, "--target"));
        }
        options.addAll(ownOptions());
        return options;
    }

    @Override
    public Integer call() {
        if (resume != null && runIdOption != null) {
            throw new UserInputException("--resume and --run-id exclude each other: --resume names the run to continue");
        }
        SparkNasConfig config = configuration();
        String runId;
        try {
            runId = resume != null ? RunIds.validate(resume)
                    : runIdOption != null ? RunIds.validate(runIdOption) : RunIds.generate("search");
        } catch (IllegalArgumentException e) {
            throw new UserInputException((resume != null ? "--resume: " : "--run-id: ") + e.getMessage(), e);
        }
        String outputDir = output != null ? output : config.run().outputDir();
        PrintWriter printer = spec.commandLine().getOut();
        SparkSession spark = SparkSessions.create(config.spark());
        Consumer<String> progress = line -> {
            printer.println(line);
            printer.flush();
        };
        boolean exists = Run.exists(spark, outputDir, runId);
        if (resume != null && !exists) {
            throw new UserInputException("--resume " + resume + ": no run.json in " + Run.folder(outputDir, runId)
                    + " (is --output or run.output-dir the folder the run was written to?)");
        }
        if (resume == null && exists) {
            throw new UserInputException("run " + runId + " already exists in " + Run.folder(outputDir, runId)
                    + ": continue it with --resume " + runId + ", or choose another --run-id");
        }
        Run run;
        Path supernetFile = null;
        if (resume != null) {
            Run opened = Run.open(spark, outputDir, runId, config, progress);
            RunManifest manifest = opened.manifest();
            refuseChanges(manifest);
            String recordedSupernet = manifest.option("supernet");
            supernetFile = recordedSupernet == null ? null : localSupernet(spark, recordedSupernet);
            config = manifest.configuration(List.of());
            if (!config.spark().equals(configuration().spark()) && !SparkSessions.submitted()) {
                spark.stop();
                spark = SparkSessions.create(config.spark());
            }
            run = Run.open(spark, outputDir, runId, config, progress);
        } else {
            if (supernet != null) {
                supernetFile = localSupernet(spark, supernet);
                config = FittedAnchors.fromCheckpoint(config, supernetFile, printer);
            } else {
                config = FittedAnchors.apply(config, DatasetLoading.load(config, printer), printer);
            }
            Map<String, String> options = new LinkedHashMap<>();
            if (supernet != null) {
                options.put("supernet", supernet);
            }
            run = Run.create(spark, outputDir, runId, config, String.join(" ", spec.commandLine().getParseResult()
                    .originalArgs()), seeds(config), options, progress);
        }
        String log = run.keepLog();
        printer.printf("run %s -> %s (Spark UI: %s)%n", runId, run.location(), SparkSessions.uiAddress(spark));
        printer.flush();
        SearchPipeline.Outcome outcome;
        try {
            outcome = new SearchPipeline(run).run(supernetFile);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        printer.printf(Locale.ROOT, "%n%d candidates, %d feasible. %s on %s:%n", outcome.candidates(),
                outcome.feasible(), outcome.objective() instanceof SearchObjective.Pareto pareto
                        ? "Pareto front of " + pareto : "Best feasible", config.target().name());
        printer.printf("%-4s %-8s %8s %9s %10s %10s %8s  %s%n", "rank", "mAP@0.5", "MMACs", "SRAM KiB", "Flash KiB",
                "latency ms", "gen", "architecture");
        int rank = 1;
        for (CandidateRow row : outcome.best()) {
            printer.printf(Locale.ROOT, "%-4d %-8.4f %8.2f %9.1f %10.1f %10.1f %8d  %s%n", rank++, row.map50(),
                    row.costs().macs() / 1e6, row.costs().peakSram() / 1024.0, row.costs().flashBytes() / 1024.0,
                    row.costs().latencyMs(), row.generation(), row.architecture().shortName());
        }
        printer.printf("%nresults: %s (Parquet, partitioned by generation), %s, %s, %s%n",
                run.candidates().location(), run.population().location(), run.location(Run.SPACE_SELECTION),
                run.location("run.json"));
        printer.flush();
        if (config.finals().afterSearch() && outcome.feasible() > 0) {
            printer.printf("%nfinalize (final.after-search): the best %d candidate(s), %d seed(s), %d epochs%n",
                    config.finals().top(), config.finals().seeds(), config.finals().epochs());
            try {
                List<FinalModelRow> rows = new FinalizeJob(run).run(new FinalizeJob.Request(config.finals().top(), config.finals().seeds(),
                        config.finals().epochs(), null, null, supernetFile));
                FinalizeCommand.print(printer, rows, run);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
        }
        printer.println();
        ReportCommand.writeAfterJob(run, printer);
        printer.printf("log: %s%n", log);
        printer.flush();
        return 0;
    }

    /** A local copy of the supernet checkpoint at {@code location} (any Hadoop path). */
    private static Path localSupernet(SparkSession spark, String location) {
        try {
            return LocalCopy.of(location, spark, "--supernet");
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /**
     * Refuses a resume whose command line would make it another run: a configuration option (--config, --set,
     * --target, --strict, or this command's own) that changes a recorded key, or another --supernet. Options that
     * repeat what the run recorded (as a sweep's resumed point does) pass.
     */
    private void refuseChanges(RunManifest manifest) {
        String recordedSupernet = manifest.option("supernet");
        if (supernet != null && !supernet.equals(recordedSupernet)) {
            throw new UserInputException("--resume " + resume + ": --supernet " + supernet + " would change the run ("
                    + (recordedSupernet == null ? "it trained its own supernet" : "it was started with --supernet "
                    + recordedSupernet) + "); a resumed run keeps what it was started with: start a new run instead");
        }
        List<ConfigLoader.Change> changes = ConfigLoader.changes(manifest.configJson(), manifest.location(),
                common.configFile, common.overrides, commandOptions());
        if (!changes.isEmpty()) {
            ConfigLoader.Change first = changes.get(0);
            throw new UserInputException("--resume " + resume + ": " + givenBy(first.key()) + " would change "
                    + first.key() + " from " + first.recorded() + " to " + first.given()
                    + (changes.size() > 1 ? " (and " + (changes.size() - 1) + " more key(s))" : "")
                    + "; a resumed run keeps the configuration in " + manifest.location()
                    + ": start a new run to change it");
        }
    }

    /** The option of this command line that sets {@code key}, for messages. */
    private String givenBy(String key) {
        for (OptionValue option : commandOptions()) {
            if (key.equals(option.key()) || key.startsWith(option.key() + ".")) {
                return option.option() + " " + option.value();
            }
        }
        for (String override : common.overrides) {
            String overridden = override.contains("=") ? override.substring(0, override.indexOf('=')).trim() : override;
            if (key.equals(overridden) || key.startsWith(overridden + ".")) {
                return "--set " + override;
            }
        }
        return common.configFile != null ? "--config " + common.configFile : "the command line";
    }

    /**
     * Makes this parsed {@code search --run-id ID} continue the run instead of starting it ({@code --resume ID}):
     * a sweep resumes a point's unfinished run from the command line it checked.
     */
    void resumeInsteadOfCreating() {
        if (runIdOption == null) {
            throw new IllegalStateException("only a search with --run-id names the run to resume");
        }
        resume = runIdOption;
        runIdOption = null;
    }

    private static Map<String, Long> seeds(SparkNasConfig config) {
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("run", config.run().seed());
        seeds.put("search", Seeds.derive(config.run().seed(), "search"));
        seeds.put("recalibration", Seeds.derive(config.run().seed(), "recalibration"));
        seeds.put("supernet", config.supernet().seed());
        return seeds;
    }
}
