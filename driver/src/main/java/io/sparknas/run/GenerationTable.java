package io.sparknas.run;

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
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A run's table partitioned by generation ({@code candidates/}, {@code population/}, {@code proposals/}), each
 * generation written so that it appears completely or not at all: the files go to a staging folder
 * ({@code _staging/}, which Spark's partition discovery ignores) and the finished folder is renamed to
 * {@code generation=N}. A rename is atomic on HDFS and local disks; on object stores (S3A) it is a copy, and a
 * crash in the middle leaves a partial folder that {@link #delete} removes before the generation is redone.
 *
 * @param <R> the row type
 */
public final class GenerationTable<R> {

    /** The partition column. */
    public static final String GENERATION = "generation";
    private static final String PREFIX = GENERATION + "=";

    private final SparkSession spark;
    private final FileSystem fs;
    private final Path dir;
    private final RowCodec<R> codec;
    private final String[] order;

    /**
     * @param order the columns rows are read back in (the partition column {@code generation} among them, if wanted)
     */
    GenerationTable(SparkSession spark, FileSystem fs, Path dir, RowCodec<R> codec, String... order) {
        this.spark = spark;
        this.fs = fs;
        this.dir = dir;
        this.codec = codec;
        this.order = order.clone();
    }

    /** Where the table lies, for messages. */
    public String location() {
        return dir.toString();
    }

    /** Writes {@code rows} as generation {@code generation}, replacing it if present. */
    public void commit(int generation, List<R> rows) {
        Path staging = new Path(new Path(dir, "_staging"), PREFIX + generation + "-" + UUID.randomUUID());
        codec.frame(spark, rows).coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
        Path target = new Path(dir, PREFIX + generation);
        try {
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("rename " + staging + " -> " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit generation " + generation + " of " + dir, e);
        }
    }

    /** The committed generations, ascending; empty when the table does not exist. */
    public List<Integer> generations() {
        List<Integer> generations = new ArrayList<>();
        try {
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
            throw new UncheckedIOException("cannot list " + dir, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(dir + " holds a folder that is not generation=<number>", e);
        }
        generations.sort(Integer::compare);
        return generations;
    }

    /** The last committed generation, or -1 when there is none. */
    public int lastGeneration() {
        List<Integer> generations = generations();
        return generations.isEmpty() ? -1 : generations.get(generations.size() - 1);
    }

    /** Whether at least one generation is committed. */
    public boolean exists() {
        return !generations().isEmpty();
    }

    /** Every committed row, in the table's order; empty when the table does not exist. */
    public List<R> read() {
        return exists() ? codec.decodeAll(frame(), order) : List.of();
    }

    /** The rows of one committed generation, in the table's order. */
    public List<R> read(int generation) {
        return codec.decodeAll(frame().where(functions.col(GENERATION).equalTo(generation)), order);
    }

    /** Removes generation {@code generation} (and any staging leftovers). */
    public void delete(int generation) {
        try {
            fs.delete(new Path(dir, PREFIX + generation), true);
            fs.delete(new Path(dir, "_staging"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete generation " + generation + " of " + dir, e);
        }
    }

    /** Removes the generations after {@code last}, left by a session that stopped before finishing them. */
    public void discardAfter(int last) {
        for (int generation : generations()) {
            if (generation > last) {
                delete(generation);
            }
        }
    }

    private Dataset<Row> frame() {
        return spark.read().schema(codec.schema().add(GENERATION, DataTypes.IntegerType, false))
                .parquet(dir.toString());
    }
}
