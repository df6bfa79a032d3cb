package io.sparknas.results;

import io.sparknas.search.ProposalRow;
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
 * The {@code proposals/} Parquet table: every candidate an LLM proposed and its outcome, and every request that
 * yielded none, partitioned by {@code generation} and committed with the generation's candidates.
 */
public final class ProposalTable {

    /** Folder name under the run folder. */
    public static final String FOLDER = "proposals";

    /** The columns of a generation's files (the {@code generation} partition column comes from the folder name). */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("island", DataTypes.IntegerType, false),
        field("model", DataTypes.StringType, false),
        field("request_status", DataTypes.StringType, false),
        field("request_detail", DataTypes.StringType, false),
        field("http_attempts", DataTypes.IntegerType, false),
        field("format_reminder", DataTypes.BooleanType, false),
        field("request_seconds", DataTypes.DoubleType, false),
        field("reply_chars", DataTypes.LongType, false),
        field("proposal_index", DataTypes.IntegerType, true),
        field("candidate_id", DataTypes.StringType, true),
        field("architecture", DataTypes.StringType, true),
        field("outcome", DataTypes.StringType, false),
        field("reason", DataTypes.StringType, false),
        field("repaired", DataTypes.BooleanType, false),
        field("repairs", DataTypes.StringType, false),
        field("rationale", DataTypes.StringType, false),
        field("raw", DataTypes.StringType, false),
    });

    private ProposalTable() {
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** Writes one generation's rows atomically as {@code proposals/generation=N}. */
    public static void write(SparkSession spark, String runDir, int generation, List<ProposalRow> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (ProposalRow r : rows) {
            out.add(RowFactory.create(r.runId(), r.island(), r.model(), r.requestStatus(), r.requestDetail(),
                    r.httpAttempts(), r.formatReminder(), r.requestSeconds(), r.replyChars(), r.proposalIndex(),
                    r.candidateId(), r.architecture(), r.outcome(), r.reason(), r.repaired(), r.repairs(),
                    r.rationale(), r.raw()));
        }
        GenerationCommit.write(spark, spark.createDataFrame(out, SCHEMA), runDir + "/" + FOLDER, generation);
    }

    /** Every committed row, in (generation, island, proposal) order. */
    public static List<ProposalRow> read(SparkSession spark, String runDir) {
        List<ProposalRow> rows = new ArrayList<>();
        if (!GenerationCommit.exists(spark, runDir + "/" + FOLDER)) {
            return rows;
        }
        StructType withGeneration = SCHEMA.add(field("generation", DataTypes.IntegerType, false));
        Dataset<Row> table = spark.read().schema(withGeneration).parquet(runDir + "/" + FOLDER)
                .orderBy("generation", "island", "proposal_index");
        for (Row row : table.collectAsList()) {
            rows.add(new ProposalRow(row.getAs("run_id"), row.<Integer>getAs("generation"), row.<Integer>getAs("island"),
                    row.getAs("model"), row.getAs("request_status"), row.getAs("request_detail"),
                    row.<Integer>getAs("http_attempts"), row.<Boolean>getAs("format_reminder"),
                    row.<Double>getAs("request_seconds"), row.<Long>getAs("reply_chars"), row.getAs("proposal_index"),
                    row.getAs("candidate_id"), row.getAs("architecture"), row.getAs("outcome"), row.getAs("reason"),
                    row.<Boolean>getAs("repaired"), row.getAs("repairs"), row.getAs("rationale"), row.getAs("raw")));
        }
        return rows;
    }
}
