package io.sparknas.cost;

import io.sparknas.text.TextForms;
import java.util.Locale;

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
        return TextForms.parse(values(), MemoryPlan::configName, name.trim().toLowerCase(Locale.ROOT), "memory plan");
    }
}
