package io.sparknas.export;

import io.sparknas.text.TextForms;
import java.util.Locale;

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
        return TextForms.parse(values(), EvalEngine::configName, name.trim().toLowerCase(Locale.ROOT), "eval engine");
    }
}
