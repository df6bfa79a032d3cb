package io.sparknas.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's real {@code log4j2.properties} in a log4j2 context of its own, with {@link LogFile} added: what
 * reaches the console (its console appender writes to {@code System.err}, swapped here for a buffer) and what
 * reaches the files.
 */
class LogFileTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream realErr;
    private LoggerContext context;
    private LogFile log;
    private Path processFile;

    @BeforeEach
    void driverConfiguration() throws IOException {
        realErr = System.err;
        System.setErr(new PrintStream(console, true, UTF_8));
        context = new LoggerContext("LogFileTest");
        context.start(driverConfiguration(context));
        processFile = dir.resolve("tmp/sparknas-logs/process.log");
        log = LogFile.install(context, processFile);
    }

    @AfterEach
    void restore() throws IOException {
        try {
            log.close();
            context.stop();
        } finally {
            System.setErr(realErr);
        }
    }

    private static Configuration driverConfiguration(LoggerContext context) throws IOException {
        ConfigurationSource source = ConfigurationSource.fromResource("log4j2.properties",
                LogFileTest.class.getClassLoader());
        return ConfigurationFactory.getInstance().getConfiguration(context, source);
    }

    private String console() {
        return console.toString(UTF_8);
    }

    private static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    @Test
    void theConsoleShowsOurInfoAndAnyErrorWhileTheFileHasEveryLine() throws IOException {
        context.getLogger("io.sparknas.search.SearchPipeline").info("our progress note");
        context.getLogger("io.sparknas.search.SearchPipeline").error("our failure");
        context.getLogger("org.nd4j.linalg.factory.Nd4jBackend").info("Loaded [CpuBackend] backend");
        context.getLogger("org.nd4j.imports.converters.ImportClassMapping").warn("Duplicate TF op mapping found for "
                + "op Pow");
        context.getLogger("org.apache.spark.util.Utils").warn("Your hostname resolves to a loopback address");
        context.getLogger("org.apache.spark.scheduler.TaskSetManager").error("Task 3 in stage 2.0 failed 4 times");
        try (PrintStream printed = new PrintStream(new PrintedLines(context.getLogger(LibraryOutput.LOGGER),
                Level.INFO, UTF_8, realErr), true, UTF_8)) {
            printed.println("Added differentiated op add_3");
        }

        String shown = console();
        assertEquals(1, count(shown, "our progress note"), shown);
        assertEquals(1, count(shown, "our failure"), "once, not again through the root logger: " + shown);
        assertEquals(1, count(shown, "Task 3 in stage 2.0 failed 4 times"), shown);
        assertFalse(shown.contains("Loaded [CpuBackend]"), shown);
        assertFalse(shown.contains("Duplicate TF op mapping"), shown);
        assertFalse(shown.contains("loopback"), shown);
        assertFalse(shown.contains("Added differentiated op"), shown);

        assertEquals(Optional.of(processFile), log.file());
        String file = Files.readString(processFile);
        for (String line : new String[] {"INFO  [main] io.sparknas.search.SearchPipeline: our progress note",
            "ERROR [main] io.sparknas.search.SearchPipeline: our failure",
            "INFO  [main] org.nd4j.linalg.factory.Nd4jBackend: Loaded [CpuBackend] backend",
            "WARN  [main] org.nd4j.imports.converters.ImportClassMapping: Duplicate TF op mapping found for op Pow",
            "WARN  [main] org.apache.spark.util.Utils: Your hostname resolves to a loopback address",
            "ERROR [main] org.apache.spark.scheduler.TaskSetManager: Task 3 in stage 2.0 failed 4 times",
            "INFO  [main] System.out: Added differentiated op add_3"}) {
            assertEquals(1, count(file, line), line + " once in\n" + file);
        }
    }

    @Test
    void attachingCopiesTheEarlierLinesAndDetachingGoesBackToTheProcessFile() throws IOException {
        context.getLogger("org.apache.spark.SparkContext").info("Running Spark version 4.1.3");
        Path runLog = dir.resolve("results/search-1/logs/driver.log");
        log.attach(runLog);
        assertEquals(Optional.of(runLog), log.file());
        context.getLogger("org.deeplearning4j.nn.graph.ComputationGraph").info("Starting ComputationGraph");
        log.detach();
        context.getLogger("org.nd4j.linalg.factory.Nd4jBackend").warn("after the run");

        String run = Files.readString(runLog);
        assertTrue(run.indexOf("Running Spark version 4.1.3") < run.indexOf("Starting ComputationGraph")
                && run.contains("Running Spark version 4.1.3"), run);
        assertFalse(run.contains("after the run"), run);
        String process = Files.readString(processFile);
        assertTrue(process.contains("Running Spark version 4.1.3") && process.contains("after the run"), process);
        assertFalse(process.contains("Starting ComputationGraph"), process);
        assertEquals(Optional.of(processFile), log.file());
    }

    @Test
    void aSecondRunGetsTheLinesSinceTheFirstAndAResumedRunAppends() throws IOException {
        Path first = dir.resolve("first/logs/driver.log");
        Path second = dir.resolve("second/logs/driver.log");
        context.getLogger("org.example").warn("line 1");
        log.attach(first);
        context.getLogger("org.example").warn("line 2");
        log.detach();
        context.getLogger("org.example").warn("line 3");
        log.attach(second);
        context.getLogger("org.example").warn("line 4");
        log.attach(first);
        context.getLogger("org.example").warn("line 5");
        log.detach();

        assertEquals(List.of("line 1", "line 2", "line 5"), messages(first));
        assertEquals(List.of("line 3", "line 4"), messages(second));
    }

    private static List<String> messages(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> line.substring(line.lastIndexOf(": ") + 2)).toList();
    }

    @Test
    void tidyingDeletesAProcessFileOnlyWhenARunLogHasAllItsLines() throws IOException {
        context.getLogger("org.example").warn("before the run");
        log.attach(dir.resolve("run/logs/driver.log"));
        log.tidy();
        assertFalse(Files.exists(processFile), "every line of it is in the run's log");

        log.detach();
        context.getLogger("org.example").warn("after the run");
        log.tidy();
        assertEquals(1, count(Files.readString(processFile), "after the run"), "a line only it holds: kept");
    }

    @Test
    void closingTakesTheFileOutOfTheContextWhichCanThenTakeANewOne() throws IOException {
        log.close();
        context.getLogger("org.example").warn("after the close");
        context.setConfiguration(driverConfiguration(context));
        context.getLogger("org.example").warn("after a new configuration");
        assertFalse(Files.exists(processFile), "nothing was written since the close");

        Path again = dir.resolve("again.log");
        log = LogFile.install(context, again);
        context.getLogger("org.example").warn("installed again");
        assertEquals(List.of("installed again"), messages(again));
    }

    @Test
    void aNewConfigurationOfTheContextKeepsWritingTheFile() throws IOException {
        context.setConfiguration(driverConfiguration(context));
        context.getLogger("org.nd4j.linalg.cpu.nativecpu.CpuNDArrayFactory").info("Binary level AVX2 optimization "
                + "level AVX/AVX2");
        assertEquals(1, count(Files.readString(processFile), "Binary level AVX2"));
    }
}
