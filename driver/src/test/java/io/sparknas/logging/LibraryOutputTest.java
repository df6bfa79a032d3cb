package io.sparknas.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LibraryOutput#capture} on this JVM's real {@code System.out}, restored afterwards. */
class LibraryOutputTest {

    @TempDir
    Path dir;

    @Test
    void whatLibrariesPrintToSystemOutGoesToTheLogAndTheRealStreamIsHandedBack() throws IOException {
        PrintStream real = System.out;
        Path file = dir.resolve("logs/driver.log");
        try {
            PrintStream console = LibraryOutput.capture();
            assertSame(real, console, "the real standard output, for the commands' own output");
            assertNotSame(real, System.out);
            assertSame(console, LibraryOutput.capture(), "a second call changes nothing");
            assertEquals("slf4j", System.getProperty("org.bytedeco.javacpp.logger"), "JavaCPP logs through SLF4J");
            RunLog.attach(file);
            System.out.println("Added differentiated op multi_head_dot_product_attention");
            RunLog.detach();
        } finally {
            System.setOut(real);
        }
        String log = Files.readString(file);
        assertTrue(log.contains(" INFO  [main] System.out: Added differentiated op multi_head_dot_product_attention"),
                log);
    }
}
