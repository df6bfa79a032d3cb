package io.sparknas.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * The process's full log, in one file. The console shows only our progress, our own log lines at INFO and above
 * and anyone's ERROR (the driver's {@code log4j2.properties} says so); every event that configuration lets through,
 * library chatter included, is also written to the log file. {@link #start} opens it as a per-process file under
 * {@code ${java.io.tmpdir}/sparknas-logs/} (created on the first line); {@link #attach} moves it into a run folder,
 * copying the lines logged before, and {@link #detach} moves it back.
 *
 * <p>This package depends on log4j2 only, never on another SparkNAS package: whatever owns the run folder calls it.
 * Where log4j2's core is not the logging backend (nothing to add a file to), every method does nothing.
 */
public final class RunLog {

    /** The folder, under {@code java.io.tmpdir}, of the per-process log files. */
    public static final String PROCESS_FOLDER = "sparknas-logs";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static LogFile log;
    private static Runnable afterClose = () -> { };
    private static boolean started;

    private RunLog() {
    }

    /**
     * Starts the log file of this process, once; later calls do nothing. When the process ends, a per-process file
     * whose lines were all copied into a run folder's log is deleted.
     */
    public static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            log = LogFile.install(context, Path.of(System.getProperty("java.io.tmpdir"), PROCESS_FOLDER,
                    "sparknas-" + LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid() + ".log"));
            Runtime.getRuntime().addShutdownHook(new Thread(RunLog::tidy, "sparknas-log-tidy"));
        }
    }

    /**
     * Writes the log to {@code file} from now on, appending, after the lines logged in this process since the last
     * attachment (all of them, the first time). Creates the file and its folders; a file attached before is closed.
     *
     * @throws UncheckedIOException when the file cannot be created or written; the log stays where it was
     */
    public static synchronized void attach(Path file) {
        attach(file, () -> { });
    }

    /**
     * As {@link #attach(Path)}; {@code closed} runs once the file is closed (by {@link #detach()} or by the next
     * attachment), for example to store a copy of it on a cluster file system. A failure there is logged as an
     * error and lost nothing else.
     */
    public static synchronized void attach(Path file, Runnable closed) {
        start();
        if (log != null) {
            try {
                log.attach(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the log file " + file + ": " + e.getMessage(), e);
            }
            Runnable previous = afterClose;
            afterClose = closed;
            runQuietly(previous);
        }
    }

    /** Closes the attached file, if any, and runs what was to follow; the log goes on in the per-process file. */
    public static synchronized void detach() {
        if (log != null) {
            try {
                log.detach();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the log file: " + e.getMessage(), e);
            }
            Runnable closed = afterClose;
            afterClose = () -> { };
            runQuietly(closed);
        }
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LogManager.getLogger(RunLog.class).error("after closing the log file: {}", e.getMessage());
        }
    }

    private static synchronized void tidy() {
        try {
            log.tidy();
        } catch (IOException e) {
            // The process is ending and the per-process file stays; there is nobody left to tell.
        }
    }

    /** The file the log is written to now: the attached one, or the per-process file once it has a line. */
    public static synchronized Optional<Path> file() {
        return log == null ? Optional.empty() : log.file();
    }
}
