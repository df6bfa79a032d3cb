package io.sparknas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds the rank benchmark's stand-alone cache from an earlier record of the same benchmark
 * ({@code --standalone-from docs/bench/supernet-rank-….json}). The stand-alone trainings are the ground truth every
 * supernet variant is ranked against and cost about 11 minutes each on one core; the cache that holds them does not
 * outlive the machine, the committed record does. An entry is imported only when the record was made with the same
 * data and stand-alone training settings, for an architecture of this run's set (matched by its short name), one
 * cache file per training seed the record lists; an existing cache file is never replaced. Imported entries say so
 * ({@code imported_from}), and so does the new record. The searchers' bests of the record ({@code searchers}, trained
 * with the first seed) are imported too when a search of this run finds the same architecture: a search repeated on
 * the same supernet then costs its 2–3 minutes, not the 15–20 of its best's training.
 */
final class StandaloneImport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StandaloneImport() {
    }

    /**
     * Writes the cache files the record can give for these architectures (the run's set, or a search's best).
     *
     * @return how many cache files were written
     * @throws IllegalArgumentException naming the record and field when it was made with other data or settings
     */
    static int seed(Path record, List<Architecture> architectures, SearchSpace cell, TrainingSettings training,
                    String data, Path cache) throws IOException {
        JsonNode root = JSON.readTree(record.toFile());
        JsonNode parameters = root.path("parameters");
        require(record, "parameters.standalone_training", parameters.path("standalone_training").asText(),
                training.toString());
        require(record, "parameters.data", parameters.path("data").asText(), data);
        Map<String, Architecture> byName = new HashMap<>();
        architectures.forEach(a -> byName.put(a.shortName(), a));
        String revision = root.path("git_revision").asText("?");
        String source = record.getFileName() + " @ " + revision.substring(0, Math.min(7, revision.length()));
        List<JsonNode> rows = new ArrayList<>();
        root.path("architectures").forEach(rows::add);
        root.path("searchers").forEach(runs -> runs.forEach(rows::add));
        int written = 0;
        for (JsonNode row : rows) {
            Architecture architecture = byName.get(row.path("architecture").asText());
            if (architecture == null) {
                continue;
            }
            JsonNode perSeed = row.has("standalone_map50_per_seed") ? row.get("standalone_map50_per_seed")
                    : JSON.createArrayNode().add(row.path("best_standalone_map50").asDouble());
            for (int s = 0; s < perSeed.size(); s++) {
                TrainingSettings seeded = training.withSeed(training.seed() + s);
                Path file = SupernetRankBenchmark.standaloneFile(cache, cell, seeded, architecture);
                if (Files.isRegularFile(file)) {
                    continue;
                }
                ObjectNode node = JSON.createObjectNode();
                node.put("architecture", io.sparknas.space.ArchitectureJson.encode(architecture));
                node.put("training", seeded.toString());
                node.put("best_val_map50", perSeed.get(s).asDouble());
                if (s == 0 && row.has("standalone_seconds")) {
                    node.put("seconds", row.get("standalone_seconds").asDouble());
                }
                node.put("imported_from", source);
                Path staged = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(staged, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
                Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
                written++;
            }
        }
        return written;
    }

    private static void require(Path record, String field, String found, String expected) {
        if (!found.equals(expected)) {
            throw new IllegalArgumentException(record + ": " + field + " is '" + found + "', this run's is '"
                    + expected + "'; its stand-alone scores are not this run's ground truth");
        }
    }
}
