package io.sparknas.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * File access through Hadoop's FileSystem, so datasets can live on a local disk, HDFS, S3A or anything else
 * Hadoop reads. Paths are strings: {@code /data/voc}, {@code hdfs://nn/data/voc}, {@code s3a://bucket/voc}.
 */
public final class DataFiles {

    private final Configuration conf;

    public DataFiles(Configuration conf) {
        this.conf = conf;
    }

    /** Access with a default Hadoop configuration (local files, or whatever core-site.xml on the classpath says). */
    public static DataFiles local() {
        return new DataFiles(new Configuration());
    }

    /**
     * The file system of a path. Local paths use the raw local file system: Hadoop's checksummed one would write
     * {@code .crc} side files and then refuse files that a person edited by hand.
     */
    private FileSystem fs(Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** {@code parent/child}. */
    public static String join(String parent, String child) {
        return parent.endsWith("/") ? parent + child : parent + "/" + child;
    }

    /** Whether a file or folder exists. */
    public boolean exists(String path) {
        try {
            Path p = new Path(path);
            return fs(p).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }

    /** Opens a file for reading. */
    public InputStream open(String path) throws IOException {
        Path p = new Path(path);
        FSDataInputStream in = fs(p).open(p);
        return in;
    }

    /** Reads a whole file. */
    public byte[] read(String path) throws IOException {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        }
    }

    /** Creates (or replaces) a file. */
    public OutputStream create(String path) throws IOException {
        Path p = new Path(path);
        return fs(p).create(p, true);
    }

    /** The names of the files directly in a folder, sorted; empty when the folder does not exist. */
    public List<String> list(String folder) {
        try {
            Path p = new Path(folder);
            FileSystem fs = fs(p);
            if (!fs.exists(p)) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (FileStatus status : fs.listStatus(p)) {
                if (status.isFile()) {
                    names.add(status.getPath().getName());
                }
            }
            names.sort(String::compareTo);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
