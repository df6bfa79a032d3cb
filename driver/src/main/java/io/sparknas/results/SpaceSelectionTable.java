package io.sparknas.results;

import io.sparknas.cost.SpaceCell;
import io.sparknas.cost.SpaceCellStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code space_selection/} Parquet table: one row per (resolution, width) cell of stage 1, ranked.
 * Every row carries the run id, target, sample count and seed that made it.
 */
public final class SpaceSelectionTable {

    /** Folder name under the run folder. */
    public static final String FOLDER = "space_selection";

    /** The table's schema. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType),
        field("target", DataTypes.StringType),
        field("rank", DataTypes.IntegerType),
        field("resolution", DataTypes.IntegerType),
        field("width", DataTypes.DoubleType),
        field("samples", DataTypes.IntegerType),
        field("feasible", DataTypes.IntegerType),
        field("feasible_fraction", DataTypes.DoubleType),
        field("sram_violations", DataTypes.IntegerType),
        field("flash_violations", DataTypes.IntegerType),
        field("latency_violations", DataTypes.IntegerType),
        field("mean_macs", DataTypes.DoubleType),
        field("p10_macs", DataTypes.LongType),
        field("p50_macs", DataTypes.LongType),
        field("p90_macs", DataTypes.LongType),
        field("max_macs", DataTypes.LongType),
        field("median_peak_sram_bytes", DataTypes.LongType),
        field("memory_plan", DataTypes.StringType),
        field("seed", DataTypes.LongType),
    });

    private SpaceSelectionTable() {
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, false);
    }

    /** Writes the ranked cells to {@code runDir/space_selection}, replacing an earlier table of the same run. */
    public static String write(SparkSession spark, String runDir, String runId, String target, String memoryPlan,
                               List<RankedCell> ranked) {
        List<Row> rows = new ArrayList<>(ranked.size());
        for (RankedCell r : ranked) {
            SpaceCellStats s = r.stats();
            rows.add(RowFactory.create(runId, target, r.rank(), s.cell().resolution(), s.cell().width(), s.samples(),
                    s.feasible(), s.feasibleFraction(), s.sramViolations(), s.flashViolations(),
                    s.latencyViolations(), s.meanMacs(), s.p10Macs(), s.p50Macs(), s.p90Macs(), s.maxMacs(),
                    s.medianPeakSram(), memoryPlan, s.seed()));
        }
        String path = runDir + "/" + FOLDER;
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
        return path;
    }

    /** Reads a table back, ranked. */
    public static List<RankedCell> read(SparkSession spark, String path) {
        Dataset<Row> table = spark.read().parquet(path).orderBy("rank");
        List<RankedCell> cells = new ArrayList<>();
        for (Row row : table.collectAsList()) {
            SpaceCellStats stats = new SpaceCellStats(
                    new SpaceCell(row.getAs("resolution"), row.<Double>getAs("width")),
                    row.getAs("samples"), row.getAs("feasible"), row.getAs("sram_violations"),
                    row.getAs("flash_violations"), row.getAs("latency_violations"), row.getAs("mean_macs"),
                    row.getAs("p10_macs"), row.getAs("p50_macs"), row.getAs("p90_macs"), row.getAs("max_macs"),
                    row.getAs("median_peak_sram_bytes"), row.getAs("seed"));
            cells.add(new RankedCell(row.getAs("rank"), stats));
        }
        return cells;
    }
}
