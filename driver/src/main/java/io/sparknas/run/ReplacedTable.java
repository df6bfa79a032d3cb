package io.sparknas.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A run's table written whole ({@code space_selection/}, {@code final_models/}, {@code teacher_outputs/}): a new
 * version is written to a staging folder beside it and renamed into place, so a reader sees the old table or the
 * new one, never a mixture.
 *
 * @param <R> the row type
 */
public final class ReplacedTable<R> {

    private final SparkSession spark;
    private final FileSystem fs;
    private final Path dir;
    private final RowCodec<R> codec;
    private final String[] order;

    ReplacedTable(SparkSession spark, FileSystem fs, Path dir, RowCodec<R> codec, String... order) {
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

    /** Whether the table has been written. */
    public boolean exists() {
        try {
            return fs.exists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    /** Writes the rows as the table, replacing an earlier version. */
    public void write(List<R> rows) {
        write(rows, Map.of());
    }

    /**
     * Writes the rows, plus small text files beside them ({@code name -> content}, e.g. a fingerprint), as the
     * table, replacing an earlier version.
     */
    public void write(List<R> rows, Map<String, String> sideFiles) {
        write(codec.frame(spark, rows).coalesce(1), sideFiles);
    }

    /**
     * Writes {@code frame} (rows of the codec's schema, computed anywhere: nothing is collected to the driver), plus
     * side files, as the table, replacing an earlier version.
     */
    public void write(Dataset<Row> frame, Map<String, String> sideFiles) {
        if (!frame.schema().equals(codec.schema())) {
            throw new IllegalArgumentException("rows for " + dir + " have schema " + frame.schema().simpleString()
                    + ", the table's is " + codec.schema().simpleString());
        }
        Path staging = new Path(dir.getParent(), dir.getName() + ".staging-" + UUID.randomUUID());
        frame.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
        try {
            for (Map.Entry<String, String> file : sideFiles.entrySet()) {
                try (OutputStream out = fs.create(new Path(staging, file.getKey()), true)) {
                    out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            fs.delete(dir, true);
            if (!fs.rename(staging, dir)) {
                throw new IOException("rename " + staging + " -> " + dir + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
    }

    /** A text file beside the rows, or null when the table or the file does not exist. */
    public String sideFile(String name) {
        Path file = new Path(dir, name);
        try {
            if (!fs.exists(file)) {
                return null;
            }
            try (var in = fs.open(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every row, in the table's order; empty when the table does not exist. */
    public List<R> read() {
        if (!exists()) {
            return List.of();
        }
        return codec.decodeAll(spark.read().schema(codec.schema()).parquet(dir.toString()), order);
    }
}
