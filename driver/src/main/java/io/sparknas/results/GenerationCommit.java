package io.sparknas.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes one generation of a generation-partitioned table so that it appears completely or not at all: the files
 * go to a staging folder ({@code _staging/}, which Spark's partition discovery ignores) and the finished folder is
 * renamed to {@code generation=N}. A rename is atomic on HDFS and local disks; on object stores (S3A) it is a copy,
 * and a crash in the middle leaves a partial folder that {@link #delete} removes before the generation is redone.
 */
public final class GenerationCommit {

    private static final String PREFIX = "generation=";

    private GenerationCommit() {
    }

    /** Writes {@code rows} as generation {@code generation} of the table at {@code tableDir}, replacing it if present. */
    public static void write(SparkSession spark, Dataset<Row> rows, String tableDir, int generation) {
        String staging = tableDir + "/_staging/" + PREFIX + generation + "-" + UUID.randomUUID();
        rows.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staging);
        try {
            Path target = new Path(tableDir, PREFIX + generation);
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(new Path(staging), target)) {
                throw new IOException("rename " + staging + " -> " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit generation " + generation + " of " + tableDir, e);
        }
    }

    /** The committed generations of a table, ascending; empty when the table does not exist. */
    public static List<Integer> generations(SparkSession spark, String tableDir) {
        List<Integer> generations = new ArrayList<>();
        try {
            Path dir = new Path(tableDir);
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(dir)) {
                return generations;
            }
            for (FileStatus status : fs.listStatus(dir)) {
                String name = status.getPath().getName();
                if (status.isDirectory() && name.startsWith(PREFIX)) {
                    generations.add(Integer.parseInt(name.substring(PREFIX.length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tableDir, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(tableDir + " holds a folder that is not generation=<number>", e);
        }
        generations.sort(Integer::compare);
        return generations;
    }

    /** Whether the table has at least one committed generation. */
    public static boolean exists(SparkSession spark, String tableDir) {
        return !generations(spark, tableDir).isEmpty();
    }

    /** Removes generation {@code generation} (and any staging leftovers) from the table. */
    public static void delete(SparkSession spark, String tableDir, int generation) {
        try {
            Path target = new Path(tableDir, PREFIX + generation);
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.delete(target, true);
            fs.delete(new Path(tableDir, "_staging"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete generation " + generation + " of " + tableDir, e);
        }
    }
}
