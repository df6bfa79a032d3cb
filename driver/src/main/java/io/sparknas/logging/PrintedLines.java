package io.sparknas.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;

/**
 * An output stream that logs each line printed to it as one event: the bytes up to a newline, decoded, without the
 * line break. A line longer than {@link #MAX_LINE} bytes is logged in pieces of that size, so the buffer stays
 * bounded. What a log event itself prints back into this stream (a console appender on the same stream) goes to
 * {@code fallback} instead of looping.
 */
final class PrintedLines extends OutputStream {

    /** The most bytes held before they are logged without a newline. */
    static final int MAX_LINE = 64 * 1024;

    private final Logger logger;
    private final Level level;
    private final Charset charset;
    private final OutputStream fallback;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean logging;

    PrintedLines(Logger logger, Level level, Charset charset, OutputStream fallback) {
        this.logger = logger;
        this.level = level;
        this.charset = charset;
        this.fallback = fallback;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (logging) {
            fallback.write(b);
            return;
        }
        if (b == '\n') {
            emit();
            return;
        }
        line.write(b);
        if (line.size() >= MAX_LINE) {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (logging) {
            fallback.write(bytes, offset, length);
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    /** Logs what is left of an unfinished line. */
    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        int end = line.size();
        byte[] bytes = line.toByteArray();
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        line.reset();
        logging = true;
        try {
            logger.log(level, new String(bytes, 0, end, charset));
        } finally {
            logging = false;
        }
    }
}
