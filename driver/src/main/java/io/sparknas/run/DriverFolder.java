package io.sparknas.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A folder of a run that the driver reads and writes with plain Java I/O: the supernet checkpoint, the ViT teacher.
 * In a local run folder it is used in place. In a run folder on a cluster file system ({@code s3a://},
 * {@code hdfs://}) the driver works on a local copy, fetched first when the run already has the folder, and
 * {@link #publish()} stores the copy's files in the run folder, so that a resumed run, a later command or a retried
 * pod finds them there. Flat folders only: what the driver writes here is a few files, never a tree.
 */
public final class DriverFolder {

    private final Path local;
    private final org.apache.hadoop.fs.Path remote;
    private final FileSystem fs;

    private DriverFolder(Path local, org.apache.hadoop.fs.Path remote, FileSystem fs) {
        this.local = local;
        this.remote = remote;
        this.fs = fs;
    }

    /** The folder {@code name} of the run in {@code runDir}, fetched into a local copy when the run is remote. */
    static DriverFolder of(FileSystem fs, String runDir, String name) {
        java.util.Optional<Path> localRun = RunIds.asLocal(runDir);
        if (localRun.isPresent()) {
            return new DriverFolder(localRun.get().resolve(name), null, null);
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(runDir, name);
        Path local = Path.of(System.getProperty("java.io.tmpdir"), "sparknas-driver-folders", digest(runDir), name);
        try {
            DriverFolder folder = new DriverFolder(local, remote, fs);
            folder.fetch();
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + remote, e);
        }
    }

    /** Where the driver reads and writes the folder's files. */
    public Path path() {
        return local;
    }

    /** Whether the folder lies in a run folder on a cluster file system (and so needs {@link #publish()}). */
    public boolean isRemote() {
        return remote != null;
    }

    /** Stores the local copy's files in the run folder, replacing what is there; nothing to do for a local run. */
    public void publish() {
        if (remote == null || !Files.isDirectory(local)) {
            return;
        }
        try (Stream<Path> files = Files.list(local)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()),
                        new org.apache.hadoop.fs.Path(remote, file.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + local + " in " + remote, e);
        }
    }

    /** Replaces the local copy with the run's files (none when the run has no such folder yet). */
    private void fetch() throws IOException {
        if (Files.isDirectory(local)) {
            try (Stream<Path> stale = Files.list(local)) {
                for (Path file : stale.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(local);
        if (!fs.exists(remote)) {
            return;
        }
        for (FileStatus status : List.of(fs.listStatus(remote))) {
            if (status.isFile()) {
                fs.copyToLocalFile(false, status.getPath(),
                        new org.apache.hadoop.fs.Path(local.resolve(status.getPath().getName()).toUri()), true);
            }
        }
    }

    private static String digest(String runDir) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(runDir.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
