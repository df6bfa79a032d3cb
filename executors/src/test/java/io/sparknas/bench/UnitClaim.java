package io.sparknas.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A claim on one unit of a benchmark's cache (a teacher, a student training), so that several benchmark processes
 * started on the same cache share its units instead of training the same one twice: a unit is trained by the process
 * that created its claim file ({@code UNIT.claim}, holding that process's id) and awaited by the others. A claim whose
 * process is no longer alive on this machine (killed, out of memory) is stale and taken over, so a dead worker loses
 * only the unit it was training. Written by hand because what is needed is an atomic file creation and a process
 * check, which the JDK gives directly.
 */
final class UnitClaim implements AutoCloseable {

    private final Path file;

    private UnitClaim(Path file) {
        this.file = file;
    }

    /** The claim file for {@code unit} (its result file or folder). */
    static Path claimFile(Path unit) {
        return unit.resolveSibling(unit.getFileName() + ".claim");
    }

    /**
     * Claims {@code unit} for this process: empty when a live process other than this one holds it. A stale claim is
     * removed and claimed again.
     */
    static Optional<UnitClaim> tryClaim(Path unit) throws IOException {
        Path claim = claimFile(unit);
        Files.createDirectories(claim.toAbsolutePath().getParent());
        long self = ProcessHandle.current().pid();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.writeString(claim, Long.toString(self), StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                return Optional.of(new UnitClaim(claim));
            } catch (FileAlreadyExistsException held) {
                Optional<Long> holder = holder(claim);
                if (holder.isEmpty()) {
                    continue;
                }
                if (holder.get() == self) {
                    return Optional.of(new UnitClaim(claim));
                }
                if (ProcessHandle.of(holder.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    return Optional.empty();
                }
                Files.deleteIfExists(claim);
            }
        }
        return Optional.empty();
    }

    /** The process id in a claim file; empty when the file is gone or not yet written. */
    private static Optional<Long> holder(Path claim) throws IOException {
        try {
            String text = Files.readString(claim, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (NumberFormatException unreadable) {
            throw new IOException("claim file " + claim + " does not hold a process id: remove it if no benchmark "
                    + "is running on this cache", unreadable);
        }
    }

    /**
     * Waits half a minute for a unit another process has claimed, saying so; the caller then looks again for its
     * result or a stale claim.
     */
    static void awaitOther(String what, Path unit) {
        System.out.printf(java.util.Locale.ROOT, "%s: claimed by another process (%s), waiting%n", what,
                claimFile(unit).getFileName());
        try {
            Thread.sleep(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** Releases the claim (after the unit's result is in place). */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
