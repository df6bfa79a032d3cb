package io.sparknas.selection;

import io.sparknas.config.ConfigLoader;
import io.sparknas.run.SpaceSelectionRow;
import io.sparknas.run.Run;
import io.sparknas.run.RankedCell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cli.SparkNas;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sparknas space` end to end on a real local Spark, read back from real Parquet. */
class SpaceCommandTest {

    @TempDir
    static Path results;

    @AfterAll
    static void stopSpark() {
        SparkSession.active().stop();
    }

    private static String runSpace(String runId, int samples) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SparkNas.execute(new PrintWriter(out, true), new PrintWriter(err, true), "space",
                "--target", "stm32f746", "--samples", Integer.toString(samples), "--run-id", runId,
                "--output", results.toString(), "--set", "spark.master=\"local[2]\"", "--set", "spark.ui=false");
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    @Test
    void writesTheRanked108RowTableThatReadsBack() {
        String printed = runSpace("t1", 60);
        long tableRows = printed.lines().filter(line -> line.matches("\\s*\\d+\\s+\\d+\\s+\\d\\.\\d .*")).count();
        assertEquals(108, tableRows, printed);

        SparkSession spark = SparkSession.active();
        String path = results.resolve("t1").resolve(Run.SPACE_SELECTION).toString();
        Dataset<Row> table = spark.read().parquet(path);
        assertEquals(SpaceSelectionRow.CODEC.schema().fieldNames().length, table.schema().fieldNames().length);
        assertEquals(List.of(SpaceSelectionRow.CODEC.schema().fieldNames()), List.of(table.schema().fieldNames()));
        assertEquals(108, table.count());

        List<RankedCell> ranked = cells("t1");
        Set<String> cells = new HashSet<>();
        for (int i = 0; i < ranked.size(); i++) {
            RankedCell cell = ranked.get(i);
            assertEquals(i + 1, cell.rank());
            assertTrue(cell.stats().feasible() <= 60);
            assertEquals(60, cell.stats().samples());
            cells.add(cell.stats().cell().resolution() + "/" + cell.stats().cell().width());
            if (i > 0) {
                boolean previousFits = ranked.get(i - 1).stats().feasibleFraction() >= 0.1;
                boolean fits = cell.stats().feasibleFraction() >= 0.1;
                assertTrue(previousFits || !fits, "cells where at least 10 % fit (space-selection."
                        + "min-feasible-fraction) come first");
                assertTrue(previousFits != fits || ranked.get(i - 1).stats().meanMacs() >= cell.stats().meanMacs(),
                        "then by mean MACs");
            }
        }
        assertEquals(108, cells.size(), "every (resolution, width) pair once");
        assertTrue(ranked.get(0).stats().meanMacs() > 0);
        assertEquals("stm32f746", table.select("target").distinct().first().getString(0));
        assertEquals("t1", table.select("run_id").distinct().first().getString(0));
    }

    @Test
    void sameSeedGivesTheSameTable() {
        runSpace("a", 20);
        runSpace("b", 20);
        SparkSession spark = SparkSession.active();
        List<RankedCell> a = cells("a");
        List<RankedCell> b = cells("b");
        assertEquals(a, b);
    }

    private List<RankedCell> cells(String runId) {
        return Run.open(SparkSession.active(), results.toString(), runId, ConfigLoader.load(null, List.of()),
                line -> { }).spaceSelection().read().stream().map(SpaceSelectionRow::cell).toList();
    }
}
