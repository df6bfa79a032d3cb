package io.sparknas.run;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Run identifiers: readable, sortable by start time, safe as folder names. */
public final class RunIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunIds() {
    }

    /** A new id such as {@code space-20261126-083012-5f3a}. */
    public static String generate(String kind) {
        return kind + "-" + LocalDateTime.now().format(STAMP) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    /**
     * A results location as a path on this machine ({@code /results}, {@code file:/results}), or empty for one on a
     * cluster file system ({@code s3a://}, {@code hdfs://}), which only Hadoop's file systems reach.
     */
    public static java.util.Optional<java.nio.file.Path> asLocal(String location) {
        String plain = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return plain.contains("://") ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(plain));
    }

    /** Checks a user-given id, which becomes a folder name. */
    public static String validate(String id) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("run id '" + id
                    + "' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
