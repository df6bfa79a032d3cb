package io.sparknas.results;

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

    /** Checks a user-given id, which becomes a folder name. */
    public static String validate(String id) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("run id '" + id
                    + "' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
