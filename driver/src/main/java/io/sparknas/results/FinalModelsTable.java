package io.sparknas.results;

import io.sparknas.finalmodels.FinalModelRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code final_models/} Parquet table: one row per (chosen candidate, seed) with its costs, its test mAP
 * trained without and with distillation, the teacher's test mAP, training seconds, the trained models' paths and
 * provenance. Written whole and atomically (a staging folder renamed into place) at the end of finalize.
 */
public final class FinalModelsTable {

    /** Folder name under the run folder. */
    public static final String FOLDER = "final_models";

    /** The columns. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType),
        field("candidate_id", DataTypes.StringType),
        field("rank", DataTypes.IntegerType),
        field("proposer", DataTypes.StringType),
        field("architecture", DataTypes.StringType),
        field("macs", DataTypes.LongType),
        field("params", DataTypes.LongType),
        field("flash_bytes", DataTypes.LongType),
        field("peak_sram", DataTypes.LongType),
        field("latency_ms", DataTypes.DoubleType),
        field("search_val_map50", DataTypes.DoubleType),
        field("init", DataTypes.StringType),
        field("seed", DataTypes.LongType),
        field("epochs", DataTypes.IntegerType),
        field("test_map50_without_kd", DataTypes.DoubleType),
        field("test_map50_with_kd", DataTypes.DoubleType),
        field("test_map_coco_without_kd", DataTypes.DoubleType),
        field("test_map_coco_with_kd", DataTypes.DoubleType),
        field("val_map50_without_kd", DataTypes.DoubleType),
        field("val_map50_with_kd", DataTypes.DoubleType),
        field("epochs_run_without_kd", DataTypes.IntegerType),
        field("epochs_run_with_kd", DataTypes.IntegerType),
        field("seconds_without_kd", DataTypes.DoubleType),
        field("seconds_with_kd", DataTypes.DoubleType),
        field("teacher", DataTypes.StringType),
        field("teacher_test_map50", DataTypes.DoubleType),
        field("artifact_without_kd", DataTypes.StringType),
        field("artifact_with_kd", DataTypes.StringType),
        field("provenance", DataTypes.StringType),
    });

    private FinalModelsTable() {
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, false);
    }

    /** Writes the rows as the run's {@code final_models/}, replacing an earlier one. */
    public static void write(SparkSession spark, String runDir, List<FinalModelRow> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (FinalModelRow r : rows) {
            out.add(RowFactory.create(r.runId(), r.candidateId(), r.rank(), r.proposer(), r.architecture(), r.macs(),
                    r.params(), r.flashBytes(), r.peakSram(), r.latencyMs(), r.searchValMap50(), r.init(), r.seed(),
                    r.epochs(), r.withoutKd().testMap50(), r.withKd().testMap50(), r.withoutKd().testMapCoco(),
                    r.withKd().testMapCoco(), r.withoutKd().valMap50(), r.withKd().valMap50(), r.withoutKd().epochs(),
                    r.withKd().epochs(), r.withoutKd().seconds(), r.withKd().seconds(), r.teacher(),
                    r.teacherTestMap50(), r.withoutKd().artifact(), r.withKd().artifact(), r.provenance()));
        }
        Path dir = new Path(runDir, FOLDER);
        Path staging = new Path(runDir, FOLDER + ".staging-" + UUID.randomUUID());
        spark.createDataFrame(out, SCHEMA).coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.delete(dir, true);
            if (!fs.rename(staging, dir)) {
                throw new IOException("rename " + staging + " -> " + dir + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
    }
}
