package io.sparknas.logging;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The log file of one log4j2 context: an appender on the root logger, and on every logger that does not pass its
 * events up to the root, writes every event they let through to a {@link LogSink}. The context's configuration
 * (the driver's {@code log4j2.properties}) decides which events those are and what the console shows; this class
 * adds the file. When the context is configured anew, the appender is added to the new configuration.
 */
final class LogFile {

    /** The appender's name in the configuration. */
    static final String APPENDER = "sparknas-log-file";
    /** One line per event: date and time, level, thread, logger, message (a stack trace follows its message). */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger: %message%n";

    private final LoggerContext context;
    private final LogSink sink;
    private final PropertyChangeListener reconfigured = this::configurationChanged;

    private LogFile(LoggerContext context, LogSink sink) {
        this.context = context;
        this.sink = sink;
    }

    /** Starts writing {@code context}'s events to {@code processFile} (created on the first event). */
    static LogFile install(LoggerContext context, Path processFile) {
        LogFile file = new LogFile(context, new LogSink(processFile));
        file.addTo(context.getConfiguration());
        context.addPropertyChangeListener(file.reconfigured);
        return file;
    }

    /** See {@link LogSink#attach}. */
    void attach(Path file) throws IOException {
        sink.attach(file);
    }

    /** See {@link LogSink#detach}. */
    void detach() throws IOException {
        sink.detach();
    }

    /** See {@link LogSink#tidy}. */
    void tidy() throws IOException {
        sink.tidy();
    }

    /** The file written now, if any. */
    Optional<Path> file() {
        return sink.file();
    }

    /** Removes the appender from the context (which then configures no new one) and closes the sink. */
    void close() throws IOException {
        context.removePropertyChangeListener(reconfigured);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(APPENDER);
        if (config instanceof AbstractConfiguration appenders) {
            appenders.removeAppender(APPENDER);
        }
        context.updateLoggers();
        sink.close();
    }

    private void addTo(Configuration config) {
        if (config.getAppenders().containsKey(APPENDER)) {
            return;
        }
        PatternLayout layout = PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(config)
                .withCharset(StandardCharsets.UTF_8).build();
        Appender appender = OutputStreamAppender.newBuilder().setName(APPENDER).setTarget(sink).setLayout(layout)
                .setConfiguration(config).setImmediateFlush(true).build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (!logger.isAdditive()) {
                logger.addAppender(appender, null, null);
            }
        }
        context.updateLoggers(config);
    }

    private void configurationChanged(PropertyChangeEvent event) {
        if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
                && event.getNewValue() instanceof Configuration config) {
            addTo(config);
        }
    }
}
