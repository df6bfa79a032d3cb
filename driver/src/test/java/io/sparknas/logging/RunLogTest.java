package io.sparknas.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process's {@link RunLog}, on the log4j2 context every logger of this JVM uses. */
class RunLogTest {

    @TempDir
    Path dir;

    @Test
    void attachWritesTheLinesLoggedBeforeItAndDetachEndsTheFile() throws IOException {
        String mark = UUID.randomUUID().toString();
        RunLog.start();
        LogManager.getLogger("org.nd4j.linalg.factory.Nd4jBackend").info("before the run " + mark);
        Path file = dir.resolve("search-1/logs/driver.log");
        RunLog.attach(file);
        assertEquals(Optional.of(file), RunLog.file());
        LogManager.getLogger("io.sparknas.search.SearchPipeline").info("during the run " + mark);
        RunLog.detach();
        LogManager.getLogger("org.nd4j.linalg.factory.Nd4jBackend").warn("after the run " + mark);

        String run = Files.readString(file);
        assertTrue(run.contains("INFO  [main] org.nd4j.linalg.factory.Nd4jBackend: before the run " + mark), run);
        assertTrue(run.contains("INFO  [main] io.sparknas.search.SearchPipeline: during the run " + mark), run);
        assertFalse(run.contains("after the run " + mark), run);
        Path process = RunLog.file().orElseThrow();
        assertTrue(process.startsWith(Path.of(System.getProperty("java.io.tmpdir"), RunLog.PROCESS_FOLDER)), process
                + " is the per-process file");
        assertTrue(Files.readString(process).contains("after the run " + mark));
    }

    @Test
    void aFileThatCannotBeCreatedIsAnErrorAndTheLogStaysWhereItWas() throws IOException {
        Path notAFolder = dir.resolve("plain-file");
        Files.writeString(notAFolder, "");
        RunLog.start();
        Optional<Path> before = RunLog.file();
        java.io.UncheckedIOException error = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> RunLog.attach(notAFolder.resolve("logs/driver.log")));
        assertTrue(error.getMessage().startsWith("cannot write the log file " + notAFolder.resolve("logs/driver.log")),
                error.getMessage());
        assertEquals(before, RunLog.file());
    }
}
