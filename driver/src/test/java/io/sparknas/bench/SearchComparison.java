package io.sparknas.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Best feasible val mAP reached by two or more searches after the same number of evaluations (GA against random
 * search at the same budget), read from their {@code candidates/} tables. Within a generation the
 * candidates' order is their id, so "after N evaluations" counts whole generations exactly and the last one
 * partly.
 *
 * <pre>java ... io.sparknas.bench.SearchComparison RUN_DIR [RUN_DIR ...]</pre>
 */
public final class SearchComparison {

    private SearchComparison() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("search-comparison")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<double[]> curves = new ArrayList<>();
        int budget = Integer.MAX_VALUE;
        for (String runDir : args) {
            List<Row> rows = spark.read().parquet(runDir + "/candidates").where("feasible")
                    .orderBy("generation", "candidate_id").collectAsList();
            double[] best = new double[rows.size()];
            double running = 0;
            for (int i = 0; i < rows.size(); i++) {
                running = Math.max(running, rows.get(i).<Double>getAs("map50"));
                best[i] = running;
            }
            curves.add(best);
            budget = Math.min(budget, rows.size());
            System.out.printf(Locale.ROOT, "%s: %d evaluated candidates, %d generations, best val mAP@0.5 %.4f%n",
                    runDir, rows.size(), rows.isEmpty() ? 0 : rows.get(rows.size() - 1).<Integer>getAs("generation") + 1,
                    running);
        }
        System.out.printf("%-12s", "evaluations");
        for (String runDir : args) {
            System.out.printf(" %14s", runDir.substring(runDir.lastIndexOf('/') + 1));
        }
        System.out.println();
        for (int n = 8; n <= budget; n = n + 8 <= budget || n == budget ? n + 8 : budget) {
            int at = Math.min(n, budget);
            System.out.printf("%-12d", at);
            for (double[] curve : curves) {
                System.out.printf(Locale.ROOT, " %14.4f", curve[at - 1]);
            }
            System.out.println();
            if (at == budget) {
                break;
            }
        }
        spark.stop();
    }
}
