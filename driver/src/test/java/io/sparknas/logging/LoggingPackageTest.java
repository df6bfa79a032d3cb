package io.sparknas.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * This package stays at the bottom of the driver's package graph: its sources name no other SparkNAS package, so
 * the run folder code, the commands and the search can all call it.
 */
class LoggingPackageTest {

    private static final Pattern OTHER_PACKAGE = Pattern.compile("io\\.sparknas\\.(?!logging\\b)\\w+");

    @Test
    void namesNoOtherSparkNasPackage() throws IOException {
        List<String> found;
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/sparknas/logging"))) {
            found = sources.filter(file -> file.toString().endsWith(".java")).flatMap(file -> {
                try {
                    return OTHER_PACKAGE.matcher(Files.readString(file)).results()
                            .map(match -> file.getFileName() + ": " + match.group());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), found);
    }
}
