package io.sparknas.cli;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.OptionValue;
import io.sparknas.config.SparkNasConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command shares: configuration sources and verbosity. */
public final class CommonOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A HOCON file whose keys override conf/sparknas.conf.")
    Path configFile;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Start from a named set of settings in conf/presets/ (quick: every stage in a few minutes, "
                    + "to try the tool; its model is not worth deploying), under --config and --set.")
    String preset;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set run.seed=7 (repeatable; wins over --config).")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-t", "--target"}, paramLabel = "TARGET",
            description = "Microcontroller: stm32f746, stm32h743, stm32f412, nrf52840, or a target .conf file "
                    + "(default: the configuration's 'target').")
    String target;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--strict", description = "Stop at the first bad image or label instead of reporting and "
            + "skipping it (same as --set data.strict=true).")
    boolean strict;

    /**
     * The run's recorded configuration ({@code run.json}) with these options on top, for a command that continues
     * a run: only keys under {@code ownPrefixes} (what the command itself decides, e.g. {@code final.}) may change;
     * an option that would change any other key is refused with one line naming it and the key.
     */
    public SparkNasConfig loadRecorded(io.sparknas.run.RunManifest manifest, String command,
                                       List<String> ownPrefixes) {
        if (preset != null) {
            throw new UserInputException("--preset " + preset + ": a preset starts a new run; " + command
                    + " continues the run's recorded configuration (give single keys with --set)");
        }
        List<OptionValue> options = new ArrayList<>();
        if (strict) {
            options.add(new OptionValue("data.strict", true, "--strict"));
        }
        if (target != null) {
            options.add(new OptionValue("target", target, "--target"));
        }
        for (io.sparknas.config.ConfigLoader.Change change : io.sparknas.config.ConfigLoader.changes(
                manifest.configJson(), manifest.location(), configFile, overrides, options)) {
            if (ownPrefixes.stream().noneMatch(prefix -> change.key().startsWith(prefix))) {
                throw new UserInputException(command + ": the command line would change " + change.key() + " from "
                        + change.recorded() + " to " + change.given() + ", which the run recorded in "
                        + manifest.location() + "; " + command + " may only change " + String.join(", ", ownPrefixes));
            }
        }
        return ConfigLoader.loadRecorded(manifest.configJson(), manifest.location(), configFile, overrides, options);
    }

    /** Loads and validates the configuration with these options applied. */
    public SparkNasConfig load() {
        return load(List.of());
    }

    /**
     * Loads and validates the configuration with these options and then a command's own options, as typed values
     * (validated, and recorded in the resolved configuration, like --set).
     */
    public SparkNasConfig load(List<OptionValue> commandOptions) {
        List<OptionValue> options = new ArrayList<>();
        if (strict) {
            options.add(new OptionValue("data.strict", true, "--strict"));
        }
        if (target != null) {
            options.add(new OptionValue("target", target, "--target"));
        }
        options.addAll(commandOptions);
        return ConfigLoader.load(preset, configFile, overrides, options);
    }
}
