package io.sparknas.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PrintedLines} on a log4j2 context of its own whose root logger writes "LEVEL logger|message" lines. */
class PrintedLinesTest {

    private LoggerContext context;
    private final StringWriter logged = new StringWriter();
    private final ByteArrayOutputStream fallback = new ByteArrayOutputStream();

    @BeforeEach
    void context() {
        context = new LoggerContext("PrintedLinesTest");
        DefaultConfiguration config = new DefaultConfiguration();
        context.start(config);
        add(WriterAppender.createAppender(layout(), null, logged, "logged", false, true));
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private PatternLayout layout() {
        return PatternLayout.newBuilder().withPattern("%level %logger|%message%n")
                .withConfiguration(context.getConfiguration()).build();
    }

    private void add(Appender appender) {
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.getConfiguration().getRootLogger().setLevel(Level.ALL);
        context.updateLoggers();
    }

    private PrintStream printing() {
        return new PrintStream(new PrintedLines(context.getLogger("System.out"), Level.INFO, UTF_8, fallback), true,
                UTF_8);
    }

    private List<String> lines() {
        return logged.toString().lines().toList();
    }

    @Test
    void eachPrintedLineIsOneEventWithoutItsLineBreak() {
        PrintStream out = printing();
        out.println("Added differentiated op gelu");
        out.print("Windows line\r\n");
        out.print("two\nlines\n");
        out.println("größe ≤ 64 KiB");
        assertEquals(List.of("INFO System.out|Added differentiated op gelu", "INFO System.out|Windows line",
                "INFO System.out|two", "INFO System.out|lines", "INFO System.out|größe ≤ 64 KiB"), lines());
    }

    @Test
    void anUnfinishedLineWaitsForItsNewlineOrTheClose() {
        PrintStream out = printing();
        out.print("Added ");
        out.flush();
        assertEquals(List.of(), lines(), "a flush does not cut the line");
        out.print("differentiated op");
        out.close();
        assertEquals(List.of("INFO System.out|Added differentiated op"), lines());
    }

    @Test
    void aVeryLongLineIsLoggedInBoundedPieces() {
        PrintStream out = printing();
        out.println("x".repeat(PrintedLines.MAX_LINE + 10));
        List<String> lines = lines();
        assertEquals(2, lines.size());
        assertEquals("INFO System.out|" + "x".repeat(PrintedLines.MAX_LINE), lines.get(0));
        assertEquals("INFO System.out|" + "x".repeat(10), lines.get(1));
    }

    @Test
    void whatALogEventPrintsBackIntoTheStreamGoesToTheFallbackInsteadOfLooping() {
        PrintStream out = printing();
        OutputStream echo = out;
        add(OutputStreamAppender.newBuilder().setName("echo").setTarget(echo).setLayout(layout())
                .setConfiguration(context.getConfiguration()).build());
        out.println("Added differentiated op matmul");
        assertEquals(List.of("INFO System.out|Added differentiated op matmul"), lines());
        assertTrue(fallback.toString(UTF_8).contains("INFO System.out|Added differentiated op matmul"),
                fallback.toString(UTF_8));
    }
}
