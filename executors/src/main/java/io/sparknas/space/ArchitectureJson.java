package io.sparknas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The canonical JSON form of an {@link Architecture}: fixed key order, no white space, every field present.
 * {@code decode(encode(a)).equals(a)} holds, so the encoding is the key of every Parquet table.
 *
 * <pre>{"resolution":128,"width":0.5,"stages":[[{"type":"mbconv","kernel":3,"expand":6,"skip":false}],…]}</pre>
 *
 * <p>Decoding is strict about structure and types (an unknown field, a string where a number belongs) and names
 * the offending field; whether the values lie in a search space is {@link SearchSpace#check}'s job. For blocks
 * other than MBConv {@code expand} may be omitted; {@code skip} defaults to false.
 */
public final class ArchitectureJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TOP_FIELDS = Set.of("resolution", "width", "stages");
    private static final Set<String> BLOCK_FIELDS = Set.of("type", "kernel", "expand", "skip");

    private ArchitectureJson() {
    }

    /** The canonical one-line JSON of {@code architecture}. */
    public static String encode(Architecture architecture) {
        StringBuilder out = new StringBuilder(64 + architecture.blockCount() * 56);
        out.append("{\"resolution\":").append(architecture.resolution())
                .append(",\"width\":").append(architecture.width())
                .append(",\"stages\":[");
        for (int s = 0; s < architecture.stages().size(); s++) {
            out.append(s == 0 ? "[" : ",[");
            List<Block> blocks = architecture.stages().get(s);
            for (int b = 0; b < blocks.size(); b++) {
                Block block = blocks.get(b);
                out.append(b == 0 ? "" : ",")
                        .append("{\"type\":\"").append(block.type().jsonName())
                        .append("\",\"kernel\":").append(block.kernel())
                        .append(",\"expand\":").append(block.expand())
                        .append(",\"skip\":").append(block.skip())
                        .append('}');
            }
            out.append(']');
        }
        return out.append("]}").toString();
    }

    /**
     * Reads an architecture from JSON text.
     *
     * @throws ArchitectureFormatException naming the field when the text is not a well-formed architecture
     */
    public static Architecture decode(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ArchitectureFormatException("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        return fromTree(root);
    }

    /** Reads an architecture from an already parsed JSON tree. */
    public static Architecture fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ArchitectureFormatException("an architecture must be a JSON object");
        }
        rejectUnknown(root, TOP_FIELDS, "");
        int resolution = integer(root, "resolution", "resolution");
        JsonNode widthNode = required(root, "width", "width");
        if (!widthNode.isNumber()) {
            throw new ArchitectureFormatException("width: expected a number, got " + widthNode);
        }
        JsonNode stagesNode = required(root, "stages", "stages");
        if (!stagesNode.isArray()) {
            throw new ArchitectureFormatException("stages: expected an array of stages, got " + kind(stagesNode));
        }
        List<List<Block>> stages = new ArrayList<>(stagesNode.size());
        for (int s = 0; s < stagesNode.size(); s++) {
            JsonNode stage = stagesNode.get(s);
            String stageField = "stages[" + s + "]";
            if (!stage.isArray()) {
                throw new ArchitectureFormatException(stageField + ": expected an array of blocks, got " + kind(stage));
            }
            List<Block> blocks = new ArrayList<>(stage.size());
            for (int b = 0; b < stage.size(); b++) {
                blocks.add(block(stage.get(b), stageField + "[" + b + "]"));
            }
            stages.add(blocks);
        }
        return new Architecture(resolution, widthNode.asDouble(), stages);
    }

    private static Block block(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new ArchitectureFormatException(field + ": expected a block object, got " + kind(node));
        }
        rejectUnknown(node, BLOCK_FIELDS, field + ".");
        JsonNode typeNode = required(node, "type", field + ".type");
        if (!typeNode.isTextual()) {
            throw new ArchitectureFormatException(field + ".type: expected a string, got " + typeNode);
        }
        ConvType type;
        try {
            type = ConvType.fromJsonName(typeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new ArchitectureFormatException(field + ".type: " + e.getMessage(), e);
        }
        int kernel = integer(node, "kernel", field + ".kernel");
        int expand = type.hasExpandRatio() || node.has("expand") ? integer(node, "expand", field + ".expand") : 1;
        boolean skip = false;
        if (node.has("skip")) {
            JsonNode skipNode = node.get("skip");
            if (!skipNode.isBoolean()) {
                throw new ArchitectureFormatException(field + ".skip: expected true or false, got " + skipNode);
            }
            skip = skipNode.asBoolean();
        }
        return new Block(type, kernel, expand, skip);
    }

    private static JsonNode required(JsonNode node, String name, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new ArchitectureFormatException(field + ": missing");
        }
        return value;
    }

    private static int integer(JsonNode node, String name, String field) {
        JsonNode value = required(node, name, field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ArchitectureFormatException(field + ": expected an integer, got " + value);
        }
        return value.asInt();
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ArchitectureFormatException(prefix + name + ": unknown field; known: " + known.stream().sorted().toList());
            }
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The architecture as a JSON tree, for embedding in larger documents (run.json, prompts). */
    public static ObjectNode toTree(Architecture architecture) {
        try {
            return (ObjectNode) MAPPER.readTree(encode(architecture));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical encoding is always valid JSON", e);
        }
    }

    /** A pretty-printed form for files people read. */
    public static String encodePretty(Architecture architecture) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(architecture));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
