package io.sparknas.cli;

import io.sparknas.config.ConfigurationException;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.logging.ConsoleText;
import io.sparknas.logging.LibraryOutput;
import io.sparknas.logging.RunLog;
import io.sparknas.space.ArchitectureFormatException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparknas} command line: one sub-command per job. Errors in the user's input print one line naming
 * the field, file or key and exit with status 2; other failures exit with 1. {@code --verbose} adds the stack
 * trace.
 */
@Command(name = "sparknas", mixinStandardHelpOptions = true, version = "SparkNAS 0.1.0",
        description = "Hardware-aware neural architecture search for microcontroller object detectors, on Apache Spark.",
        subcommands = {CostCommand.class, SpaceCommand.class, DataCommand.class, TrainCommand.class, SupernetCommand.class, SearchCommand.class,
            SweepCommand.class, LlmCommand.class, TeacherCommand.class, FinalizeCommand.class, ExportCommand.class, ReportCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Run 'sparknas COMMAND --help' for a command's options.",
                "Configuration: conf/sparknas.conf documents every key; override with --config FILE or --set KEY=VALUE."})
public final class SparkNas implements Runnable {

    /** Exit status for bad input (configuration, files, options). */
    public static final int BAD_INPUT = 2;
    /** Exit status for a failure while running. */
    public static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The launcher: library output and logging go to the log file ({@link RunLog}), the console keeps the
     * commands' own output (on the real standard output), our log lines and errors.
     */
    public static void main(String[] args) {
        PrintStream console = LibraryOutput.capture();
        RunLog.start();
        System.exit(execute(new PrintWriter(console, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line on the standard streams and returns the exit status. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command line with the given output streams and returns the exit status. A log file a command
     * attached ({@link RunLog#attach}) is closed when it returns.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        try {
            return configured(new CommandLine(new SparkNas()), out, err, args).execute(args);
        } finally {
            RunLog.detach();
        }
    }

    /**
     * The command line printing to {@code out} and {@code err}, with the error handling of every command: bad input
     * exits with {@link #BAD_INPUT}, any other failure with {@link #FAILED}.
     */
    static CommandLine configured(CommandLine commandLine, PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((error, cmd, parseResult) -> {
            boolean badInput = error instanceof ConfigurationException || error instanceof UserInputException
                    || error instanceof ArchitectureFormatException
                    || error instanceof io.sparknas.data.DataFormatException;
            err.println("sparknas: " + (badInput ? "error: " : "failed: ") + ConsoleText.block(describe(error)));
            if (verbose) {
                error.printStackTrace(err);
            } else if (!badInput) {
                err.println("(run again with --verbose for the stack trace)");
            }
            err.flush();
            return badInput ? BAD_INPUT : FAILED;
        });
        return commandLine;
    }

    /**
     * Parses a command line as {@link #execute} would and loads the configuration its options give, running
     * nothing: sweeps and the Kubernetes manifest checks refuse an unknown option or key with it before anything is
     * submitted. Throws picocli's {@link CommandLine.ParameterException} for a bad option and
     * {@link ConfigurationException} for a bad key or value.
     */
    public static SparkNasConfig check(String... args) {
        return ParsedCommand.parse(args).configuration();
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
