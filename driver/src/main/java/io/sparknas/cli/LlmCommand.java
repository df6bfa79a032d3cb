package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.llm.ChatPrompt;
import io.sparknas.llm.PromptBuilder;
import io.sparknas.llm.PromptContext;
import io.sparknas.logging.ConsoleText;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.Run;
import io.sparknas.search.ArchitectureSearch;
import io.sparknas.search.PromptHistory;
import io.sparknas.search.SearchObjective;
import io.sparknas.space.SearchSpace;
import io.sparknas.spark.SparkSessions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas llm}: inspect the LLM proposer. */
@Command(name = "llm", mixinStandardHelpOptions = true,
        description = "Inspect the LLM proposer (configured under llm.* in conf/sparknas.conf).",
        subcommands = {LlmCommand.Prompt.class})
public final class LlmCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sparknas llm prompt}. */
    @Command(name = "prompt", mixinStandardHelpOptions = true,
            description = {"Print the prompt the LLM proposer would send next for a run: built from the run's "
                    + "recorded configuration (run.json, with --set on top) and its committed candidates, exactly as "
                    + "the search builds it. Nothing is sent.", "",
                    "Example: sparknas llm prompt --run search-20261126-101500-ab12"})
    static final class Prompt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        RunSelection selection;

        @Option(names = "--island", paramLabel = "N", defaultValue = "0",
                description = "Which of the generation's parallel requests, from 0 (default: ${DEFAULT-VALUE}).")
        int island;

        @Override
        public Integer call() {
            SparkNasConfig defaults = common.load();
            SparkSession spark = SparkSessions.create(defaults.spark());
            Run opened = selection.open(spark, defaults, line -> { });
            SparkNasConfig config;
            try {
                config = opened.manifest().configuration(new ArrayList<>(common.overrides));
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            Run run = opened.withConfig(config);
            if (island < 0 || island >= config.llm().concurrency()) {
                throw new UserInputException("--island: " + island + " is outside [0, " + config.llm().concurrency()
                        + ") (llm.concurrency)");
            }
            List<CandidateRow> rows = run.candidates().read();
            if (rows.isEmpty()) {
                throw new UserInputException("run " + run.id() + " has no committed candidates yet in "
                        + run.candidates().location());
            }
            SearchSpace cell = config.space().narrow(rows.get(0).architecture().resolution(),
                    rows.get(0).architecture().width());
            int generation = ArchitectureSearch.lastCommittedGeneration(run) + 1;
            PromptContext context = PromptHistory.context(rows, cell, config.target(), config.cost(),
                    SearchObjective.of(config.search().objective()), config.llm(), generation);
            ChatPrompt prompt = PromptBuilder.build(context, island, config.llm().concurrency());
            PrintWriter out = spec.commandLine().getOut();
            out.print(ConsoleText.block(prompt.render()));
            out.printf(Locale.ROOT, "%n(prompt for generation %d, request %d of %d, from %d committed candidates; "
                            + "endpoint: %s; nothing was sent)%n", generation, island + 1, config.llm().concurrency(),
                    rows.size(), config.llm().enabled() ? config.llm().endpoint() : "none configured");
            out.flush();
            return 0;
        }
    }
}
