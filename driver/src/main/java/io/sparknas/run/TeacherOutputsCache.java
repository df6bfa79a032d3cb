package io.sparknas.run;

import io.sparknas.task.TeacherOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code teacher_outputs/} table: the teacher's raw outputs for every training image (for every augmented view
 * of it, when the final trainings are augmented), computed once and shared by every student of the run. A {@code _teacher.txt} file beside the data names the teacher (a hash of its model,
 * its side, the dataset); a cache made for another teacher or dataset is not used.
 */
public final class TeacherOutputsCache {

    /** Folder name under the run folder. */
    public static final String FOLDER = "teacher_outputs";
    /** The file naming the teacher whose outputs these are. */
    public static final String FINGERPRINT = io.sparknas.task.TeacherOutputsSource.FINGERPRINT_FILE;

    /** The columns. */
    public static final RowCodec<TeacherOutput> CODEC = RowCodec.<TeacherOutput>builder()
            .optionalInteger("view", TeacherOutput::view)
            .integer("image_index", TeacherOutput::index)
            .string("image_id", TeacherOutput::imageId)
            .floats("outputs", TeacherOutput::values)
            .build(row -> new TeacherOutput(view(row.optionalInteger("view")), row.integer("image_index"),
                    row.string("image_id"),
                    row.floats("outputs")));

    private final ReplacedTable<TeacherOutput> table;

    TeacherOutputsCache(ReplacedTable<TeacherOutput> table) {
        this.table = table;
    }

    /** Where the table lies, for messages. */
    public String location() {
        return table.location();
    }

    /**
     * The cached outputs, view-major (view {@code v} of image {@code i} at {@code v·N + i}; one view for the plain
     * images), if the table holds this teacher's; else null.
     */
    public List<float[]> read(String fingerprint) {
        if (!fingerprint.equals(table.sideFile(FINGERPRINT))) {
            return null;
        }
        List<TeacherOutput> rows = new ArrayList<>(table.read());
        rows.sort(java.util.Comparator.comparingInt(TeacherOutput::view).thenComparingInt(TeacherOutput::index));
        List<float[]> outputs = new ArrayList<>();
        int view = rows.isEmpty() ? 1 : rows.get(rows.size() - 1).view() + 1;
        int images = Math.max(1, rows.size() / view);
        for (TeacherOutput output : rows) {
            int expected = outputs.size();
            if (output.view() != expected / images || output.index() != expected % images) {
                throw new IllegalStateException(table.location() + ": image " + expected % images
                        + (view == 1 ? "" : " of view " + expected / images) + " is missing");
            }
            outputs.add(output.values());
        }
        return outputs;
    }

    /** Writes the outputs (any order) with the teacher's fingerprint, replacing an older table. */
    public void write(String fingerprint, List<TeacherOutput> outputs) {
        table.write(outputs, Map.of(FINGERPRINT, fingerprint));
    }

    /**
     * Writes the outputs as the executors compute them (any order; nothing is collected to the driver) with the
     * teacher's fingerprint, replacing an older table.
     */
    public void write(String fingerprint, JavaRDD<TeacherOutput> outputs, SparkSession spark) {
        JavaRDD<Row> rows = outputs.map(TeacherOutputsCache::row);
        table.write(spark.createDataFrame(rows, CODEC.schema()), Map.of(FINGERPRINT, fingerprint));
    }

    /** Whether the table holds the outputs of the teacher with {@code fingerprint}. */
    public boolean holds(String fingerprint) {
        return fingerprint.equals(table.sideFile(FINGERPRINT));
    }

    /** A row's view: 0 in tables written before augmented views, which have no such column. */
    private static int view(Integer view) {
        return view == null ? 0 : view;
    }

    /** One output as a row of {@link #CODEC}'s schema, on the executor that computed it. */
    private static Row row(TeacherOutput output) {
        return CODEC.encode(output);
    }
}
