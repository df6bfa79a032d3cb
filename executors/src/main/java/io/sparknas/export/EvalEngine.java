package io.sparknas.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What runs a scored subnet's validation forward pass ({@code eval.engine}). */
public enum EvalEngine {
    /** DL4J, the network as trained. */
    DL4J("dl4j"),
    /** ONNX Runtime, on the network exported in memory ({@link OnnxExport}) after BatchNorm recalibration. */
    ONNXRUNTIME("onnxruntime");

    private final String configName;

    EvalEngine(String configName) {
        this.configName = configName;
    }

    /** The name in configuration. */
    public String configName() {
        return configName;
    }

    /** The engine named {@code name}. */
    public static EvalEngine fromConfigName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (EvalEngine engine : values()) {
            if (engine.configName.equals(wanted)) {
                return engine;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; choose one of "
                + Arrays.stream(values()).map(EvalEngine::configName).collect(Collectors.joining(", ")));
    }
}
