package io.sparknas.logging;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The bytes of a log whose file changes while the process runs. While no file is attached they go to the process
 * file, created on the first write; attaching a file copies into it what the process file received since the
 * previous attachment, then writes there; detaching goes back to the process file. Writes and switches are
 * serialized on this object, so a line written during a switch lands once, in one of the two files. A process file
 * whose every byte was copied into an attached file is deleted by {@link #tidy} and by {@link #close}.
 */
final class LogSink extends OutputStream {

    private final Path processFile;
    private OutputStream processOut;
    private long copied;
    private Path attached;
    private OutputStream attachedOut;
    private boolean closed;

    LogSink(Path processFile) {
        this.processFile = processFile;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        target().write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        target().write(bytes, offset, length);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (attachedOut != null) {
            attachedOut.flush();
        }
        if (processOut != null) {
            processOut.flush();
        }
    }

    /**
     * Writes to {@code file} from now on (appending, creating it and its folders), after copying into it what the
     * process file received since the last attachment. A file attached before is closed.
     */
    synchronized void attach(Path file) throws IOException {
        ensureOpen();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
        try {
            if (processOut != null) {
                processOut.flush();
                try (InputStream earlier = Files.newInputStream(processFile)) {
                    earlier.skipNBytes(copied);
                    copied += earlier.transferTo(out);
                }
                out.flush();
            }
        } catch (IOException e) {
            out.close();
            throw e;
        }
        closeAttached();
        attached = file;
        attachedOut = out;
    }

    /** Closes the attached file, if any; what follows goes to the process file again. */
    synchronized void detach() throws IOException {
        closeAttached();
    }

    /** The file written now: the attached one, else the process file once it exists. */
    synchronized Optional<Path> file() {
        return attachedOut != null ? Optional.of(attached)
                : processOut != null ? Optional.of(processFile) : Optional.empty();
    }

    /**
     * Deletes the process file when all it holds was copied into an attached file, so a process whose lines all
     * reached a run folder leaves nothing behind; a later write starts the process file anew.
     */
    synchronized void tidy() throws IOException {
        if (processOut == null) {
            return;
        }
        processOut.flush();
        if (Files.size(processFile) == copied) {
            processOut.close();
            processOut = null;
            copied = 0;
            Files.delete(processFile);
        }
    }

    /** Closes both files (see {@link #tidy}); writing afterwards fails. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closeAttached();
        tidy();
        closed = true;
        if (processOut != null) {
            processOut.close();
            processOut = null;
        }
    }

    private OutputStream target() throws IOException {
        ensureOpen();
        if (attachedOut != null) {
            return attachedOut;
        }
        if (processOut == null) {
            Files.createDirectories(processFile.toAbsolutePath().getParent());
            processOut = new BufferedOutputStream(Files.newOutputStream(processFile, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        }
        return processOut;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the log is closed");
        }
    }

    private void closeAttached() throws IOException {
        if (attachedOut != null) {
            OutputStream out = attachedOut;
            attachedOut = null;
            attached = null;
            out.close();
        }
    }
}
