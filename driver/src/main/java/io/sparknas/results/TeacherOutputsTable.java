package io.sparknas.results;

import io.sparknas.task.TeacherOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code teacher_outputs/} Parquet table: the teacher's raw outputs for every training image, computed once
 * and shared by every student of the run. A {@code _teacher.txt} file beside the data names the teacher (a hash
 * of its model, its side, the dataset); a cache for another teacher or dataset is not used.
 */
public final class TeacherOutputsTable {

    /** Folder name under the run folder. */
    public static final String FOLDER = "teacher_outputs";
    private static final String FINGERPRINT = "_teacher.txt";

    /** The columns. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("image_index", DataTypes.IntegerType, false),
        DataTypes.createStructField("image_id", DataTypes.StringType, false),
        DataTypes.createStructField("outputs", DataTypes.createArrayType(DataTypes.FloatType, false), false),
    });

    private TeacherOutputsTable() {
    }

    /** The cached outputs, in image order, if the table exists for this teacher fingerprint; else null. */
    public static List<float[]> read(SparkSession spark, String runDir, String fingerprint) {
        Path dir = new Path(runDir, FOLDER);
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path stamp = new Path(dir, FINGERPRINT);
            if (!fs.exists(stamp)) {
                return null;
            }
            try (InputStream in = fs.open(stamp)) {
                if (!new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(fingerprint)) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        List<float[]> outputs = new ArrayList<>();
        for (Row row : spark.read().schema(SCHEMA).parquet(dir.toString()).orderBy("image_index").collectAsList()) {
            List<Float> values = row.getList(2);
            float[] array = new float[values.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = values.get(i);
            }
            if (row.getInt(0) != outputs.size()) {
                throw new IllegalStateException(dir + ": image " + outputs.size() + " is missing");
            }
            outputs.add(array);
        }
        return outputs;
    }

    /** Writes the outputs (any order) and the fingerprint, replacing an older table atomically. */
    public static void write(SparkSession spark, String runDir, String fingerprint, List<TeacherOutput> outputs) {
        List<Row> rows = new ArrayList<>(outputs.size());
        for (TeacherOutput output : outputs) {
            Float[] boxed = new Float[output.values().length];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = output.values()[i];
            }
            rows.add(RowFactory.create(output.index(), output.imageId(), boxed));
        }
        Path dir = new Path(runDir, FOLDER);
        Path staging = new Path(runDir, FOLDER + ".staging-" + UUID.randomUUID());
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .parquet(staging.toString());
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(new Path(staging, FINGERPRINT), true)) {
                out.write(fingerprint.getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(dir, true);
            if (!fs.rename(staging, dir)) {
                throw new IOException("rename " + staging + " -> " + dir + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
    }
}
