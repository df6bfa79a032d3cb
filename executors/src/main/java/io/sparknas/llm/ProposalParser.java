package io.sparknas.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureFormatException;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.SpaceCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads candidates out of an LLM reply and holds each against the search space. The reply is data: only a JSON
 * value in it is read, only the fields of an architecture (and an optional rationale) are accepted, and nothing in
 * it can change the space, the budgets or a score.
 *
 * <p>The JSON may be the whole reply, fenced in Markdown, or embedded in prose; the first JSON value that holds
 * candidates is taken. A candidate with the wrong structure (not an object, an unknown field, a number written as
 * text, a conv type the space lacks, the wrong number of stages) is rejected with the reason. One with values
 * outside the space (a kernel of 4, a depth of 9, an illegal skip) is repaired to the nearest point of the space and
 * marked repaired, with every value changed.
 */
public final class ProposalParser {

    /** Where the parser looks for JSON in a prose reply: at most this many opening brackets. */
    private static final int MAX_JSON_STARTS = 64;
    private static final int RAW_LIMIT = 4_000;
    private static final int RATIONALE_LIMIT = 300;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private final SearchSpace space;
    private final int maxCandidates;

    /**
     * @param space         the cell the candidates must belong to
     * @param maxCandidates candidates read from one reply at most; the rest are rejected unread
     */
    public ProposalParser(SearchSpace space, int maxCandidates) {
        this.space = space;
        this.maxCandidates = maxCandidates;
    }

    /** Parses a reply. */
    public ParsedReply parse(String reply) {
        JsonNode list = candidates(reply == null ? "" : reply);
        if (list == null) {
            return new ParsedReply(false, List.of());
        }
        List<ParsedProposal> proposals = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            if (i >= maxCandidates) {
                proposals.add(rejected(i, node, "beyond the " + maxCandidates + " candidates read from one reply"));
                continue;
            }
            proposals.add(proposal(i, node));
        }
        return new ParsedReply(true, proposals);
    }

    private ParsedProposal proposal(int index, JsonNode node) {
        if (!node.isObject()) {
            return rejected(index, node, "a candidate must be a JSON object, got " + kind(node));
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        String rationale = "";
        JsonNode reason = fields.remove("rationale");
        if (reason != null) {
            rationale = cut(reason.isTextual() ? reason.asText() : reason.toString(), RATIONALE_LIMIT);
        }
        JsonNode wrapped = fields.get("architecture");
        if (wrapped != null && fields.size() == 1) {
            fields = wrapped.isObject() ? (ObjectNode) wrapped : null;
            if (fields == null) {
                return rejected(index, node, "architecture: expected an object, got " + kind(wrapped));
            }
        }
        Architecture architecture;
        try {
            architecture = ArchitectureJson.fromTree(fields);
        } catch (ArchitectureFormatException e) {
            return rejected(index, node, e.getMessage());
        }
        if (architecture.stages().size() != space.stages().size()) {
            return rejected(index, node, "stages: " + architecture.stages().size() + " stages given, the space has "
                    + space.stages().size());
        }
        SpaceCheck check = space.check(architecture);
        if (check.contained()) {
            return new ParsedProposal(index, cut(node.toString(), RAW_LIMIT), architecture, "valid", "", rationale);
        }
        Architecture repaired = space.repair(architecture);
        return new ParsedProposal(index, cut(node.toString(), RAW_LIMIT), repaired, "repaired",
                String.join("; ", check.reasons()), rationale);
    }

    private static ParsedProposal rejected(int index, JsonNode node, String reason) {
        return new ParsedProposal(index, cut(node.toString(), RAW_LIMIT), null, "rejected", reason, "");
    }

    /**
     * The candidates array of a reply: {@code {"candidates": [...]}}, a bare array, or a single candidate object,
     * found as the whole reply or as the first such JSON value inside it; null when there is none.
     */
    static JsonNode candidates(String reply) {
        char[] text = reply.toCharArray();
        JsonNode list = listOf(tryRead(text, 0));
        if (list != null) {
            return list;
        }
        int starts = 0;
        for (int i = 0; i < text.length && starts < MAX_JSON_STARTS; i++) {
            if (text[i] == '{' || text[i] == '[') {
                starts++;
                list = listOf(tryRead(text, i));
                if (list != null) {
                    return list;
                }
            }
        }
        return null;
    }

    private static JsonNode listOf(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            return node.isEmpty() || node.get(0).isObject() ? node : null;
        }
        if (node.isObject()) {
            JsonNode inner = node.get("candidates");
            if (inner != null && inner.isArray()) {
                return inner;
            }
            if (node.has("stages") || node.has("architecture")) {
                return JSON.createArrayNode().add(node);
            }
        }
        return null;
    }

    /** The first JSON value starting at {@code offset}, or null when none can be read there. */
    private static JsonNode tryRead(char[] text, int offset) {
        JsonFactory factory = JSON.getFactory();
        try (JsonParser parser = factory.createParser(text, offset, text.length - offset)) {
            return JSON.readTree(parser);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "…";
    }
}
