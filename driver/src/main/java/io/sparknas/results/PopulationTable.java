package io.sparknas.results;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code population/} Parquet table: the evolution's population after each generation (candidate, fitness,
 * generation of birth), partitioned by generation. It is committed after the generation's candidates, so its last
 * generation is the one a resumed search continues from.
 */
public final class PopulationTable {

    /** Folder name under the run folder. */
    public static final String FOLDER = "population";

    /** One member of a population. */
    public record Member(String candidateId, String architecture, double fitness, long born) {
    }

    private static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("candidate_id", DataTypes.StringType, false),
        DataTypes.createStructField("architecture", DataTypes.StringType, false),
        DataTypes.createStructField("fitness", DataTypes.DoubleType, false),
        DataTypes.createStructField("born", DataTypes.LongType, false),
        DataTypes.createStructField("position", DataTypes.IntegerType, false),
    });

    private PopulationTable() {
    }

    /** Commits the population after {@code generation}. */
    public static void write(SparkSession spark, String runDir, int generation, List<Member> members) {
        List<Row> rows = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            rows.add(RowFactory.create(m.candidateId(), m.architecture(), m.fitness(), m.born(), i));
        }
        GenerationCommit.write(spark, spark.createDataFrame(rows, SCHEMA), runDir + "/" + FOLDER, generation);
    }

    /** The population after {@code generation}, in its stored order. */
    public static List<Member> read(SparkSession spark, String runDir, int generation) {
        List<Member> members = new ArrayList<>();
        Dataset<Row> rows = spark.read().schema(SCHEMA)
                .parquet(runDir + "/" + FOLDER + "/generation=" + generation).orderBy("position");
        for (Row row : rows.collectAsList()) {
            members.add(new Member(row.getAs("candidate_id"), row.getAs("architecture"), row.<Double>getAs("fitness"),
                    row.<Long>getAs("born")));
        }
        return members;
    }
}
