package io.sparknas.cost;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How activations are laid out in SRAM while the network runs; each gives a different peak. */
public enum MemoryPlan {
    /** Layer by layer: every tensor live at a step occupies its own buffer. */
    LAYER_BY_LAYER("layer-by-layer"),
    /** As layer by layer, but a depthwise convolution overwrites its input (TinyEngine). */
    IN_PLACE("in-place"),
    /** The first stages run patch by patch (MCUNetV2), the rest as {@link #IN_PLACE}. */
    PATCH("patch");

    private final String configName;

    MemoryPlan(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration, tables and Parquet. */
    public String configName() {
        return configName;
    }

    /** Parses a configuration name, naming the allowed values when it is unknown. */
    public static MemoryPlan fromConfigName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (MemoryPlan plan : values()) {
            if (plan.configName.equals(wanted)) {
                return plan;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a memory plan; allowed: "
                + Arrays.stream(values()).map(MemoryPlan::configName).collect(Collectors.joining(", ")));
    }
}
