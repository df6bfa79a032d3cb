package io.sparknas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkNasConfig config = ConfigLoader.load(null, List.of());
    private final SearchSpace cell = config.space().narrow(80, 0.9);
    private final TrainingSettings training = config.training().withEpochs(20);
    private final Architecture reference = cell.sample(new SplittableRandom(1));
    private final Architecture searched = cell.sample(new SplittableRandom(2));

    @Test
    void importsEverySeedOfTheSetAndASearchersBestByShortName(@TempDir Path folder) throws IOException {
        Path record = record(folder, training.toString());
        Path cache = Files.createDirectories(folder.resolve("cache"));

        assertEquals(2, StandaloneImport.seed(record, List.of(reference), cell, training, config.data().toString(),
                cache));
        assertEquals(0.41, bestVal(cache, training, reference), 1e-12);
        assertEquals(0.43, bestVal(cache, training.withSeed(training.seed() + 1), reference), 1e-12);

        assertEquals(1, StandaloneImport.seed(record, List.of(searched), cell, training, config.data().toString(),
                cache));
        assertEquals(0.62, bestVal(cache, training, searched), 1e-12);
        assertFalse(Files.exists(SupernetRankBenchmark.standaloneFile(cache, cell,
                training.withSeed(training.seed() + 1), searched)));
    }

    @Test
    void neverReplacesACachedTraining(@TempDir Path folder) throws IOException {
        Path record = record(folder, training.toString());
        Path cache = Files.createDirectories(folder.resolve("cache"));
        StandaloneImport.seed(record, List.of(searched), cell, training, config.data().toString(), cache);

        assertEquals(0, StandaloneImport.seed(record, List.of(searched), cell, training, config.data().toString(),
                cache));
    }

    @Test
    void aRecordWithOtherTrainingSettingsIsRefusedByName(@TempDir Path folder) throws IOException {
        Path record = record(folder, training.withEpochs(5).toString());

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> StandaloneImport.seed(
                record, List.of(reference), cell, training, config.data().toString(), folder));
        assertTrue(error.getMessage().contains("parameters.standalone_training"), error.getMessage());
    }

    private Path record(Path folder, String standaloneTraining) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("git_revision", "0123456789abcdef");
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("standalone_training", standaloneTraining);
        parameters.put("data", config.data().toString());
        ObjectNode row = root.putArray("architectures").addObject();
        row.put("architecture", reference.shortName());
        row.putArray("standalone_map50_per_seed").add(0.41).add(0.43);
        ObjectNode best = root.putObject("searchers").putArray("ga").addObject();
        best.put("seed", 1);
        best.put("best_standalone_map50", 0.62);
        best.put("architecture", searched.shortName());
        Path file = folder.resolve("record.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }

    private double bestVal(Path cache, TrainingSettings seeded, Architecture architecture) throws IOException {
        JsonNode node = JSON.readTree(SupernetRankBenchmark.standaloneFile(cache, cell, seeded, architecture).toFile());
        assertTrue(node.path("imported_from").asText().startsWith("record.json @ 0123456"));
        return node.path("best_val_map50").asDouble();
    }
}
