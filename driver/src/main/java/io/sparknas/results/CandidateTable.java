package io.sparknas.results;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.cost.MemoryPlan;
import io.sparknas.search.CandidateRow;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code candidates/} Parquet table: one row per candidate (schema in the design notes), partitioned by
 * {@code generation}. Each generation is written once, through {@link GenerationCommit}, so it is there completely
 * or not at all.
 */
public final class CandidateTable {

    /** Folder name under the run folder. */
    public static final String FOLDER = "candidates";

    /** The columns of a generation's files (the {@code generation} partition column comes from the folder name). */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("candidate_id", DataTypes.StringType, false),
        field("proposer", DataTypes.StringType, false),
        field("architecture", DataTypes.StringType, false),
        field("resolution", DataTypes.IntegerType, false),
        field("width", DataTypes.DoubleType, false),
        field("depths", DataTypes.StringType, false),
        field("blocks", DataTypes.StringType, false),
        field("macs", DataTypes.LongType, false),
        field("params", DataTypes.LongType, false),
        field("flash_bytes", DataTypes.LongType, false),
        field("peak_sram_layer_by_layer", DataTypes.LongType, false),
        field("peak_sram_in_place", DataTypes.LongType, false),
        field("peak_sram_patch", DataTypes.LongType, false),
        field("memory_plan", DataTypes.StringType, false),
        field("latency_ms", DataTypes.DoubleType, false),
        field("feasible", DataTypes.BooleanType, false),
        field("violation", DataTypes.StringType, false),
        field("map50", DataTypes.DoubleType, true),
        field("map_coco", DataTypes.DoubleType, true),
        field("eval_seconds", DataTypes.DoubleType, true),
        field("seed", DataTypes.LongType, false),
        field("provenance", DataTypes.StringType, false),
    });

    private CandidateTable() {
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** The rows of one generation as a DataFrame of {@link #SCHEMA}. */
    public static Dataset<Row> frame(SparkSession spark, List<CandidateRow> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (CandidateRow r : rows) {
            Costs c = r.costs();
            out.add(RowFactory.create(r.runId(), r.candidateId(), r.proposer(), r.architectureJson(),
                    r.architecture().resolution(), r.architecture().width(), r.depths(), r.blocks(), c.macs(),
                    c.params(), c.flash().total(), c.peakLayerByLayer(), c.peakInPlace(), c.peak(MemoryPlan.PATCH),
                    c.plan().configName(), c.latencyMs(), c.feasible(), r.violation(), r.map50(), r.mapCoco(),
                    r.evalSeconds(), r.seed(), r.provenance()));
        }
        return spark.createDataFrame(out, SCHEMA);
    }

    /**
     * Every committed row of a run folder's table, generations in order, the costs recomputed by
     * {@code costModel} from the stored architecture (the cost model is a pure function of it).
     */
    public static List<CandidateRow> read(SparkSession spark, String runDir, CostModel costModel) {
        List<CandidateRow> rows = new ArrayList<>();
        if (!GenerationCommit.exists(spark, runDir + "/" + FOLDER)) {
            return rows;
        }
        StructType withGeneration = SCHEMA.add(field("generation", DataTypes.IntegerType, false));
        Dataset<Row> table = spark.read().schema(withGeneration).parquet(runDir + "/" + FOLDER)
                .orderBy("generation", "candidate_id");
        for (Row row : table.collectAsList()) {
            Architecture architecture = ArchitectureJson.decode(row.getAs("architecture"));
            rows.add(new CandidateRow(row.getAs("run_id"), row.<Integer>getAs("generation"), row.getAs("candidate_id"),
                    row.getAs("proposer"), architecture, costModel.evaluate(architecture), row.getAs("map50"),
                    row.getAs("map_coco"), row.getAs("eval_seconds"), row.<Long>getAs("seed"), row.getAs("provenance")));
        }
        return rows;
    }
}
