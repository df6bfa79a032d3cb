package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;

/**
 * A command whose own options set configuration keys (e.g. {@code search --population N}); {@link SparkNas#check}
 * asks it for the configuration it would run with, so those options are validated like {@code --set}.
 */
interface ConfiguredCommand {

    /** The validated configuration: defaults, --config, --set, then the command's own options. */
    SparkNasConfig configuration();
}
