package io.sparknas.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * A file the driver reads with plain Java I/O (a supernet checkpoint) given as a local path or as any Hadoop path
 * ({@code s3a://}, {@code hdfs://}): a cluster file is copied once into a local temporary folder, deleted when the
 * JVM exits. This lets runs whose results live on S3 read their supernet from S3 too.
 */
public final class LocalCopy {

    private LocalCopy() {
    }

    /** The local path of {@code location}; {@code option} names it in messages (e.g. "--supernet"). */
    public static Path of(String location, SparkSession spark, String option) {
        java.util.Optional<Path> onThisMachine = RunIds.asLocal(location);
        if (onThisMachine.isPresent()) {
            return onThisMachine.get();
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
        try {
            FileSystem fs = remote.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.isFile(remote)) {
                throw new IllegalArgumentException(option + ": file not found: " + location);
            }
            Path folder = Files.createTempDirectory("sparknas-copy-");
            Path local = folder.resolve(remote.getName());
            fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(local.toUri()), true);
            local.toFile().deleteOnExit();
            folder.toFile().deleteOnExit();
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot copy " + location + " to this machine", e);
        }
    }
}
