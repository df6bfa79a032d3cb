package io.sparknas.run;

import io.sparknas.task.TeacherOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code teacher_outputs/} table: the teacher's raw outputs for every training image, computed once and shared
 * by every student of the run. A {@code _teacher.txt} file beside the data names the teacher (a hash of its model,
 * its side, the dataset); a cache made for another teacher or dataset is not used.
 */
public final class TeacherOutputsCache {

    /** Folder name under the run folder. */
    public static final String FOLDER = "teacher_outputs";
    /** The file naming the teacher whose outputs these are. */
    public static final String FINGERPRINT = "_teacher.txt";

    /** The columns. */
    public static final RowCodec<TeacherOutput> CODEC = RowCodec.<TeacherOutput>builder()
            .integer("image_index", TeacherOutput::index)
            .string("image_id", TeacherOutput::imageId)
            .floats("outputs", TeacherOutput::values)
            .build(row -> new TeacherOutput(row.integer("image_index"), row.string("image_id"),
                    row.floats("outputs")));

    private final ReplacedTable<TeacherOutput> table;

    TeacherOutputsCache(ReplacedTable<TeacherOutput> table) {
        this.table = table;
    }

    /** Where the table lies, for messages. */
    public String location() {
        return table.location();
    }

    /** The cached outputs, in image order, if the table holds this teacher's; else null. */
    public List<float[]> read(String fingerprint) {
        if (!fingerprint.equals(table.sideFile(FINGERPRINT))) {
            return null;
        }
        List<float[]> outputs = new ArrayList<>();
        for (TeacherOutput output : table.read()) {
            if (output.index() != outputs.size()) {
                throw new IllegalStateException(table.location() + ": image " + outputs.size() + " is missing");
            }
            outputs.add(output.values());
        }
        return outputs;
    }

    /** Writes the outputs (any order) with the teacher's fingerprint, replacing an older table. */
    public void write(String fingerprint, List<TeacherOutput> outputs) {
        table.write(outputs, Map.of(FINGERPRINT, fingerprint));
    }
}
