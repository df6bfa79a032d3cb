package io.sparknas.finalmodels;

import io.sparknas.config.SparkNasConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Trained ViT teachers kept by a fingerprint of everything that decides them (the dataset, the teacher and training
 * settings, its input side and head: the {@code key}), so later runs and the points of a sweep that share them reuse
 * one teacher instead of training it again. An entry is a folder named by the key's SHA-256 holding
 * {@code teacher.zip}, its {@code teacher.json} and {@code teacher.key}, the key itself: an entry is used only when
 * that file equals the key asked for, so an entry of another teacher (or a damaged one) is never used. Entries are
 * written to a staging folder and renamed into place, so a crash leaves no half entry.
 */
final class TeacherCache {

    private static final List<String> FILES = List.of("teacher.zip", TeacherProvider.SIDECAR);
    private static final String KEY = "teacher.key";

    private final Path folder;

    private TeacherCache(Path folder) {
        this.folder = folder;
    }

    /**
     * The cache {@code final.teacher.cache-dir} names; when that is empty, the {@code teachers/} folder of a local
     * {@code run.output-dir}, and no cache (null) when the results go to S3 or HDFS.
     */
    static TeacherCache of(SparkNasConfig config) {
        return of(config, config.run().outputDir());
    }

    /**
     * As {@link #of(SparkNasConfig)}, the default beside {@code resultsFolder}: the folder the run is actually
     * written to (a command's {@code --output} wins over {@code run.output-dir}).
     */
    static TeacherCache of(SparkNasConfig config, String resultsFolder) {
        String configured = config.finals().teacher().cacheDir();
        if (!configured.isEmpty()) {
            return new TeacherCache(Path.of(configured));
        }
        String output = resultsFolder;
        URI uri = URI.create(output.replace('\\', '/').replace(" ", "%20"));
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            return null;
        }
        return new TeacherCache(Path.of(uri.getScheme() == null ? output : uri.getPath()).resolve("teachers"));
    }

    /** The entry's folder for {@code key} (whether or not it exists). */
    Path entry(String key) {
        return folder.resolve(sha256(key).substring(0, 16));
    }

    /**
     * Copies the cached teacher for {@code key} into {@code dir} and returns its entry, or returns null when there
     * is none for exactly this key.
     */
    Path restore(String key, Path dir) {
        Path entry = entry(key);
        try {
            Path keyFile = entry.resolve(KEY);
            if (!Files.isRegularFile(keyFile) || !Files.readString(keyFile, StandardCharsets.UTF_8).equals(key)
                    || FILES.stream().anyMatch(f -> !Files.isRegularFile(entry.resolve(f)))) {
                return null;
            }
            Files.createDirectories(dir);
            Files.copy(entry.resolve(TeacherProvider.SIDECAR), dir.resolve(TeacherProvider.SIDECAR),
                    StandardCopyOption.REPLACE_EXISTING);
            Path partial = dir.resolve("teacher.zip.partial");
            Files.copy(entry.resolve("teacher.zip"), partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, dir.resolve("teacher.zip"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached teacher " + entry, e);
        }
    }

    /** Keeps the teacher trained in {@code dir} for {@code key}, replacing an older entry; returns the entry. */
    Path store(String key, Path dir) {
        Path entry = entry(key);
        Path staging = folder.resolve(entry.getFileName() + ".staging-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            for (String file : FILES) {
                Files.copy(dir.resolve(file), staging.resolve(file));
            }
            Files.writeString(staging.resolve(KEY), key, StandardCharsets.UTF_8);
            if (Files.isDirectory(entry)) {
                try (var old = Files.walk(entry)) {
                    for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the teacher in the cache " + entry, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
