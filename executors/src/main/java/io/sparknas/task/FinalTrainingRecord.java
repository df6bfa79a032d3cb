package io.sparknas.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The JSON written beside a trained final model ({@code NAME.json} next to {@code NAME.zip}), after the model: what
 * trained it (a key over the architecture, seed, distillation, training settings, data and teacher) and what it
 * gave. A finalize run again, after a crash or to add seeds, reuses a training whose record has the same key and
 * whose model exists, instead of training it again (and exports it to ONNX when the record has no exported files
 * yet); any other record is ignored and overwritten.
 */
final class FinalTrainingRecord {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FinalTrainingRecord() {
    }

    /** What decides a training's result: the request, the context's settings and the driver's resume key. */
    static String key(FinalTrainingRequest request, FinalTrainingContext context) {
        return String.join("|", io.sparknas.space.ArchitectureJson.encode(request.architecture()),
                Long.toString(request.seed()), Boolean.toString(request.distill()), context.training().toString(),
                context.distillation().toString(), Boolean.toString(context.inherited()), context.data().toString(),
                String.valueOf(context.views()), context.resumeKey());
    }

    /** The result recorded for {@code key} beside {@code model}, or null when there is none to reuse. */
    static FinalTrainingResult read(Path model, String key) {
        Path record = recordOf(model);
        try {
            FileSystem fs = model.getFileSystem(new Configuration());
            if (!fs.exists(record) || !fs.exists(model)) {
                return null;
            }
            JsonNode root;
            try (InputStream in = fs.open(record)) {
                root = JSON.readTree(in);
            }
            if (root == null || !key.equals(root.path("key").asText(null))) {
                return null;
            }
            return new FinalTrainingResult(root.get("candidate_id").asText(), root.get("distill").asBoolean(),
                    root.get("seed").asLong(), root.get("val_map50").asDouble(), root.get("test_map50").asDouble(),
                    root.get("test_map_coco").asDouble(), root.get("epochs").asInt(), root.get("best_epoch").asInt(),
                    root.get("seconds").asDouble(), model.toString(), root.get("host").asText(),
                    root.get("attempt").asInt(), true, exported(root.get("exported")));
        } catch (IOException | NullPointerException e) {
            return null;
        }
    }

    private static FinalExport exported(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        if (node.get("c_model") == null) {
            return null;
        }
        return new FinalExport(node.get("onnx").asText(), node.get("onnx_int8").asText(), node.get("c_model").asText(),
                node.get("calibration").asText(), score(node.get("int8_val_map50")),
                score(node.get("int8_test_map50")), score(node.get("int8_test_map_coco")));
    }

    private static double score(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }

    private static void putScore(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** Writes the record of a finished training beside its model. */
    static void write(Path model, String key, FinalTrainingResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("key", key);
        root.put("candidate_id", result.candidateId());
        root.put("distill", result.distill());
        root.put("seed", result.seed());
        root.put("val_map50", result.valMap50());
        root.put("test_map50", result.testMap50());
        root.put("test_map_coco", result.testMapCoco());
        root.put("epochs", result.epochs());
        root.put("best_epoch", result.bestEpoch());
        root.put("seconds", result.seconds());
        root.put("host", result.host());
        root.put("attempt", result.attempt());
        if (result.exported() != null) {
            ObjectNode exported = root.putObject("exported");
            exported.put("onnx", result.exported().onnx());
            exported.put("onnx_int8", result.exported().onnxInt8());
            exported.put("c_model", result.exported().cModel());
            exported.put("calibration", result.exported().calibration());
            putScore(exported, "int8_val_map50", result.exported().int8ValMap50());
            putScore(exported, "int8_test_map50", result.exported().int8TestMap50());
            putScore(exported, "int8_test_map_coco", result.exported().int8TestMapCoco());
        }
        Path record = recordOf(model);
        try {
            FileSystem fs = model.getFileSystem(new Configuration());
            try (OutputStream out = fs.create(record, true)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + record, e);
        }
    }

    private static Path recordOf(Path model) {
        String name = model.getName();
        return new Path(model.getParent(), name.substring(0, name.length() - ".zip".length()) + ".json");
    }
}
