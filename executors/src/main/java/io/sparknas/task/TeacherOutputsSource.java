package io.sparknas.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * A run's cached teacher outputs as the executors read them: straight from the run's {@code teacher_outputs/}
 * Parquet table (any Hadoop path), once per JVM for a given teacher, so they never pass through the driver. The
 * table's {@code _teacher.txt} must name this teacher's fingerprint: a table written for another teacher (or
 * another dataset) is refused, never used.
 *
 * <p>The reading is written against Parquet's own record API (parquet-hadoop, on every Spark classpath) because a
 * Spark task cannot open a SparkSession; the columns are those the driver's {@code TeacherOutputsCache} writes:
 * {@code view} (int; absent in tables written before augmented views, read as 0), {@code image_index} (int), {@code image_id} (string), {@code outputs} (list of float).
 *
 * @param folder      the table's folder
 * @param fingerprint the teacher's fingerprint the table must carry
 * @param images      training images
 * @param views       augmented views per image (1 for the plain images): the table has one row per view and image
 */
public record TeacherOutputsSource(String folder, String fingerprint, int images, int views)
        implements java.io.Serializable {

    public TeacherOutputsSource {
        if (views < 1) {
            throw new IllegalArgumentException("teacher outputs need at least one view per image, got " + views);
        }
    }

    /** The file beside the rows naming the teacher they belong to. */
    public static final String FINGERPRINT_FILE = "_teacher.txt";

    private static final Map<TeacherOutputsSource, List<float[]>> READ = new ConcurrentHashMap<>();

    /** The outputs view-major (view {@code v} of image {@code i} at {@code v·images + i}); read once per JVM and teacher. */
    public List<float[]> read() {
        return READ.computeIfAbsent(this, key -> load());
    }

    /** Whether {@code folder} holds the outputs of the teacher with this fingerprint. */
    public boolean matches() {
        Path dir = new Path(folder);
        try {
            FileSystem fs = dir.getFileSystem(new Configuration());
            Path file = new Path(dir, FINGERPRINT_FILE);
            if (!fs.exists(file)) {
                return false;
            }
            try (InputStream in = fs.open(file)) {
                return fingerprint.equals(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + new Path(dir, FINGERPRINT_FILE), e);
        }
    }

    private List<float[]> load() {
        if (!matches()) {
            throw new IllegalStateException(folder + " does not hold the outputs of this teacher (its "
                    + FINGERPRINT_FILE + " names another teacher or is missing): refusing to distill from them");
        }
        Path dir = new Path(folder);
        float[][] outputs = new float[views * images][];
        try {
            FileSystem fs = dir.getFileSystem(new Configuration());
            FileStatus[] parts = fs.listStatus(dir, p -> p.getName().endsWith(".parquet"));
            Arrays.sort(parts);
            for (FileStatus part : parts) {
                try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), part.getPath())
                        .withConf(new Configuration()).build()) {
                    for (Group row = reader.read(); row != null; row = reader.read()) {
                        int index = row.getInteger("image_index", 0);
                        int view = row.getType().containsField("view") ? row.getInteger("view", 0) : 0;
                        if (index < 0 || index >= images) {
                            throw new IllegalStateException(part.getPath() + ": image_index " + index
                                    + " is outside the training split's " + images + " images");
                        }
                        if (view < 0 || view >= views) {
                            throw new IllegalStateException(part.getPath() + ": view " + view + " is outside the "
                                    + views + " view(s) of this teacher's outputs");
                        }
                        outputs[view * images + index] = floats(row.getGroup("outputs", 0));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the teacher outputs in " + folder, e);
        }
        List<float[]> ordered = new ArrayList<>(outputs.length);
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == null) {
                throw new IllegalStateException(folder + ": the teacher's outputs for training image " + i % images
                        + (views == 1 ? "" : " in view " + i / images) + " are missing");
            }
            ordered.add(outputs[i]);
        }
        return Collections.unmodifiableList(ordered);
    }

    /** Spark's list layout: a repeated group {@code list} of {@code element}. */
    private static float[] floats(Group list) {
        int count = list.getFieldRepetitionCount("list");
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = list.getGroup("list", i).getFloat("element", 0);
        }
        return values;
    }
}
