package io.sparknas.finalmodels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.space.HeadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trained teachers are kept by the fingerprint of what decides them: a second run with the same data and settings
 * reuses the first's teacher, and a cache entry of another teacher is never used.
 */
class TeacherCacheTest {

    @TempDir
    Path temp;

    private SparkNasConfig config(String... more) {
        List<String> overrides = new ArrayList<>(List.of("data.synthetic.train=16", "data.synthetic.val=8",
                "data.synthetic.test=8", "data.synthetic.image-size=64", "final.teacher.dim=16",
                "final.teacher.depth=1", "final.teacher.heads=2", "final.teacher.epochs=1", "train.batch-size=8",
                "final.teacher.cache-dir=" + temp.resolve("cache")));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    @Test
    void aSecondRunWithTheSameDataAndSettingsReusesTheTeacherAndAnotherTeachersEntryIsNotUsed() throws IOException {
        SparkNasConfig config = config();
        DetectionDataset data = config.data().load(DataFiles.local());
        HeadSpec head = config.space().head();
        List<String> first = new ArrayList<>();
        new TeacherProvider(config, first::add).resolve(null, null, temp.resolve("a"), 64, head, data);
        assertTrue(first.stream().anyMatch(l -> l.startsWith("teacher: training a ViT")), first.toString());
        assertTrue(first.stream().anyMatch(l -> l.startsWith("teacher: kept for later runs in ")), first.toString());

        List<String> second = new ArrayList<>();
        TeacherProvider.Resolved reused = new TeacherProvider(config, second::add).resolve(null, null,
                temp.resolve("b"), 64, head, data);
        assertFalse(second.stream().anyMatch(l -> l.startsWith("teacher: training")), second.toString());
        assertTrue(second.stream().anyMatch(l -> l.startsWith("teacher: reusing ")), second.toString());
        assertArrayEquals(Files.readAllBytes(temp.resolve("a/teacher.zip")),
                Files.readAllBytes(temp.resolve("b/teacher.zip")));
        assertEquals(128, reused.artifact().side());

        TeacherProvider provider = new TeacherProvider(config, line -> { });
        String key = provider.cacheKey(128, 4, head);
        TeacherCache cache = TeacherCache.of(config);
        assertNotEquals(cache.entry(key), cache.entry(new TeacherProvider(config("final.teacher.epochs=2"),
                line -> { }).cacheKey(128, 4, head)), "other teacher settings, another entry");
        assertNotEquals(key, new TeacherProvider(config("data.synthetic.seed=8"), line -> { }).cacheKey(128, 4, head),
                "other data, another key");
        assertNotEquals(key, new TeacherProvider(config("final.teacher.stem=patches"), line -> { }).cacheKey(128, 4,
                head), "another stem, another key");
        io.sparknas.config.ConfigurationException stem = org.junit.jupiter.api.Assertions.assertThrows(
                io.sparknas.config.ConfigurationException.class,
                () -> config("final.teacher.stem=resnet"));
        assertTrue(stem.getMessage().contains("final.teacher.stem"), stem.getMessage());

        Files.writeString(cache.entry(key).resolve("teacher.key"), key.replace("side 128", "side 256"));
        assertNull(cache.restore(key, temp.resolve("c")), "an entry recorded for another key is not used");
        List<String> third = new ArrayList<>();
        new TeacherProvider(config, third::add).resolve(null, null, temp.resolve("d"), 64, head, data);
        assertTrue(third.stream().anyMatch(l -> l.startsWith("teacher: training a ViT")),
                "trained again: " + third);
    }

    @Test
    void withoutACacheFolderTheResultsFolderKeepsTheTeachersUnlessItIsRemote() {
        SparkNasConfig local = ConfigLoader.load(null, List.of("run.output-dir=" + temp.resolve("results")));
        assertEquals(temp.resolve("results").resolve("teachers"), TeacherCache.of(local).entry("k").getParent());
        assertNull(TeacherCache.of(ConfigLoader.load(null, List.of("run.output-dir=\"s3a://bucket/runs\""))),
                "no local cache for results on S3");
    }
}
