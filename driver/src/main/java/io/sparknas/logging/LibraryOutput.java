package io.sparknas.logging;

import java.io.PrintStream;
import java.nio.charset.Charset;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

/**
 * What libraries print themselves instead of logging, sent to the log. SameDiff (ND4J) prints a line
 * {@code Added differentiated op NAME} to {@code System.out} for every op of a graph it differentiates, from
 * whichever thread trains the network; no logger or level can silence it. {@link #capture} therefore replaces
 * {@code System.out} with a stream that logs each printed line as an INFO event of the logger {@value #LOGGER}, and
 * hands back the real standard output for the program's own console writers. It also switches JavaCPP's logger,
 * which prints {@code Info:}, {@code Warning:} and {@code Error:} lines to {@code System.err} unless told otherwise,
 * to SLF4J, so those reach log4j2 too.
 *
 * <p>{@code System.err} is left alone: it is where the console appender writes, and where the JVM prints an
 * uncaught exception.
 */
public final class LibraryOutput {

    /** The logger of lines printed to {@code System.out}. */
    public static final String LOGGER = "System.out";
    /** JavaCPP's choice of logger ({@code org.bytedeco.javacpp.tools.Logger.create}). */
    static final String JAVACPP_LOGGER = "org.bytedeco.javacpp.logger";

    private static PrintStream console;

    private LibraryOutput() {
    }

    /**
     * Sends what is printed to {@code System.out} from now on to the log, and returns the real standard output.
     * Call it first thing, before any library prints or reads its logger setting; later calls return the same
     * stream and change nothing.
     */
    public static synchronized PrintStream capture() {
        if (console == null) {
            if (System.getProperty(JAVACPP_LOGGER) == null) {
                System.setProperty(JAVACPP_LOGGER, "slf4j");
            }
            console = System.out;
            Charset charset = Charset.defaultCharset();
            System.setOut(new PrintStream(new PrintedLines(LogManager.getLogger(LOGGER), Level.INFO, charset, console),
                    true, charset));
        }
        return console;
    }
}
