package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A {@code sparknas} command line parsed once: its configuration is validated and the command is run from the same
 * parsed objects, so what was checked is what runs (a sweep checks every point before the first one starts).
 */
final class ParsedCommand {

    private final CommandLine root;
    private final CommandLine.ParseResult parsed;
    private final String[] args;

    private ParsedCommand(CommandLine root, CommandLine.ParseResult parsed, String[] args) {
        this.root = root;
        this.parsed = parsed;
        this.args = args.clone();
    }

    /** Parses {@code args}; a bad option is picocli's {@link CommandLine.ParameterException}. */
    static ParsedCommand parse(String... args) {
        CommandLine root = new CommandLine(new SparkNas());
        return new ParsedCommand(root, root.parseArgs(args), args);
    }

    /** The command object the line selects (the innermost sub-command). */
    Object command() {
        return leaf().commandSpec().userObject();
    }

    private CommandLine.ParseResult leaf() {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    /**
     * The configuration the command's options give, loaded and validated, running nothing. Throws
     * {@link io.sparknas.config.ConfigurationException} for a bad key or value.
     */
    SparkNasConfig configuration() {
        Object command = command();
        if (command instanceof ConfiguredCommand configured) {
            return configured.configuration();
        }
        CommandLine.Model.CommandSpec options = leaf().commandSpec().mixins().get("common");
        if (options == null) {
            throw new UserInputException("'" + String.join(" ", args) + "': no command with configuration options");
        }
        return ((CommonOptions) options.userObject()).load();
    }

    /** Runs the parsed command with the error handling of {@link SparkNas#execute} and returns its exit status. */
    int run(PrintWriter out, PrintWriter err) {
        SparkNas.configured(root, out, err, args);
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (CommandLine.ExecutionException e) {
            try {
                Exception cause = e.getCause() instanceof Exception exception ? exception : e;
                return root.getExecutionExceptionHandler().handleExecutionException(cause, e.getCommandLine(), parsed);
            } catch (Exception unhandled) {
                throw new IllegalStateException(unhandled);
            }
        }
    }
}
