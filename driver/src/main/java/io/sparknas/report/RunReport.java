package io.sparknas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.cost.LayerGraph;
import io.sparknas.results.CandidateTable;
import io.sparknas.results.FinalModelsTable;
import io.sparknas.results.GenerationCommit;
import io.sparknas.results.ProposalTable;
import io.sparknas.results.RankedCell;
import io.sparknas.results.RunManifest;
import io.sparknas.results.SpaceSelectionTable;
import io.sparknas.search.CandidateRow;
import io.sparknas.search.ProposalRow;
import io.sparknas.search.SearchObjective;
import io.sparknas.space.SearchSpace;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One self-contained HTML report of a run, plots embedded as PNG: the Pareto fronts of val mAP against peak SRAM,
 * MACs and latency with the budgets, the best mAP per generation by proposer, the stage-1 table, the best model's
 * per-layer memory profile under the three execution plans, the LLM proposals' outcomes, the final models without
 * and with distillation, and the run's configuration and provenance. Every table is read with a message naming
 * its path when it is missing or unreadable.
 */
public final class RunReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final String runDir;

    public RunReport(SparkSession spark, String runDir) {
        this.spark = spark;
        this.runDir = runDir;
    }

    /** The report as HTML. */
    public String html() {
        JsonNode manifest = manifest();
        SparkNasConfig config = ConfigLoader.loadRecorded(manifest.get("config").toString(), runDir + "/"
                + RunManifest.FILE, List.of());
        List<CandidateRow> rows = read(CandidateTable.FOLDER, () -> CandidateTable.read(spark, runDir,
                new CostModel(config.space(), config.target(), config.cost())));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(runDir + "/" + CandidateTable.FOLDER + ": no committed candidates");
        }
        List<CandidateRow> scored = rows.stream().filter(r -> r.feasible() && r.evaluated()).toList();
        Html page = new Html("SparkNAS run " + manifest.path("run_id").asText());
        page.paragraph(String.format(Locale.ROOT, "Target %s: SRAM %.0f KiB (runtime %.0f KiB), Flash %.0f KiB, latency "
                        + "budget %s. %d candidates, %d feasible and scored, %d infeasible (never scored).",
                config.target().name(), config.target().sramBytes() / 1024.0,
                config.target().runtimeSramBytes() / 1024.0, config.target().flashBytes() / 1024.0,
                config.target().hasLatencyBudget() ? config.target().latencyBudgetMs() + " ms" : "none", rows.size(),
                scored.size(), rows.stream().filter(r -> !r.feasible()).count()));

        page.heading("Pareto fronts");
        for (ParetoChart.Cost cost : ParetoChart.Cost.values()) {
            page.image(ParetoChart.chart(scored, cost, config.target()), "val mAP@0.5 against " + cost.axis);
        }
        page.heading("Search progress");
        page.image(ProgressChart.chart(rows), "best feasible val mAP@0.5 per generation by proposer");
        proposals(page);

        page.heading("Stage 1: (resolution, width) cells");
        spaceSelection(page);

        if (!scored.isEmpty()) {
            CandidateRow best = scored.stream().sorted(SearchObjective.BY_MAP).findFirst().orElseThrow();
            SearchSpace cell = config.space().narrow(best.architecture().resolution(), best.architecture().width());
            CostModel model = new CostModel(cell, config.target(), config.cost());
            LayerGraph graph = model.lower(best.architecture());
            Costs costs = model.evaluate(graph);
            page.heading("Best model's memory profile");
            page.paragraph("Best by val mAP@0.5 (" + String.format(Locale.ROOT, "%.4f", best.map50()) + "): "
                    + best.architecture().shortName());
            page.image(MemoryProfileChart.chart("SRAM per layer: " + best.architecture().shortName(),
                    model.layerTable(graph), costs, config.target()), "per-layer SRAM under the three plans");
        }
        finalModels(page);
        page.heading("Configuration and provenance");
        page.preformatted(pretty(manifest));
        return page.toString();
    }

    private void proposals(Html page) {
        if (!GenerationCommit.exists(spark, runDir + "/" + ProposalTable.FOLDER)) {
            page.paragraph("No LLM proposals in this run (llm.endpoint was not set).");
            return;
        }
        List<ProposalRow> proposals = read(ProposalTable.FOLDER, () -> ProposalTable.read(spark, runDir));
        Map<String, Integer> outcomes = new TreeMap<>();
        proposals.forEach(p -> outcomes.merge(p.outcome(), 1, Integer::sum));
        List<List<String>> table = new ArrayList<>();
        outcomes.forEach((outcome, count) -> table.add(List.of(outcome, Integer.toString(count))));
        page.paragraph("LLM proposals by outcome (" + ProposalTable.FOLDER + "/):");
        page.table(List.of("outcome", "proposals or requests"), table);
    }

    private void spaceSelection(Html page) {
        String path = runDir + "/" + SpaceSelectionTable.FOLDER;
        if (!exists(path)) {
            page.paragraph("No stage-1 table: the run was given its supernet (--supernet).");
            return;
        }
        List<RankedCell> cells = read(SpaceSelectionTable.FOLDER, () -> SpaceSelectionTable.read(spark, path));
        List<List<String>> table = new ArrayList<>();
        for (RankedCell cell : cells.subList(0, Math.min(20, cells.size()))) {
            var s = cell.stats();
            table.add(List.of(Integer.toString(cell.rank()), Integer.toString(s.cell().resolution()),
                    String.format(Locale.ROOT, "%.2f", s.cell().width()),
                    String.format(Locale.ROOT, "%.1f %%", 100 * s.feasibleFraction()),
                    String.format(Locale.ROOT, "%.2f", s.meanMacs() / 1e6),
                    String.format(Locale.ROOT, "%.2f", s.p90Macs() / 1e6),
                    String.format(Locale.ROOT, "%.1f", s.medianPeakSram() / 1024.0)));
        }
        page.table(List.of("rank", "resolution (px)", "width", "feasible", "mean MMACs of the feasible",
                "p90 MMACs", "median peak SRAM (KiB)"), table);
    }

    private void finalModels(Html page) {
        page.heading("Final models");
        String path = runDir + "/" + FinalModelsTable.FOLDER;
        if (!exists(path)) {
            page.paragraph("Not finalized yet: 'sparknas finalize --run RUN_ID' trains the best candidates fully.");
            return;
        }
        List<Row> rows = read(FinalModelsTable.FOLDER, () -> spark.read().parquet(path).orderBy("rank", "seed")
                .collectAsList());
        List<FinalModelsChart.Bar> bars = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Row row : rows) {
            String label = "#" + row.getAs("rank") + " seed " + row.getAs("seed");
            bars.add(new FinalModelsChart.Bar(label, row.getAs("test_map50_without_kd"), row.getAs("test_map50_with_kd")));
            table.add(List.of(label, row.getAs("candidate_id"),
                    String.format(Locale.ROOT, "%.2f", row.<Long>getAs("macs") / 1e6),
                    String.format(Locale.ROOT, "%.1f", row.<Long>getAs("peak_sram") / 1024.0),
                    String.format(Locale.ROOT, "%.4f", row.<Double>getAs("test_map50_without_kd")),
                    String.format(Locale.ROOT, "%.4f", row.<Double>getAs("test_map50_with_kd")),
                    String.format(Locale.ROOT, "%.1f", (row.<Double>getAs("seconds_without_kd")
                            + row.<Double>getAs("seconds_with_kd")) / 60)));
        }
        Row first = rows.get(0);
        page.image(FinalModelsChart.chart(bars, first.getAs("teacher"), first.getAs("teacher_test_map50")),
                "test mAP@0.5 without and with distillation");
        page.table(List.of("model", "candidate", "MMACs", "peak SRAM (KiB)", "test mAP@0.5 without KD",
                "with KD", "training minutes (both)"), table);
    }

    private JsonNode manifest() {
        Path path = new Path(runDir, RunManifest.FILE);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                throw new IllegalArgumentException("no run at " + runDir + ": " + path + " does not exist");
            }
            try (InputStream in = fs.open(path)) {
                JsonNode root = JSON.readTree(in);
                if (root == null || !root.path("config").isObject()) {
                    throw new IllegalArgumentException(path + " is not a SparkNAS run.json (no 'config' object)");
                }
                return root;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(path + " cannot be read as JSON: " + e.getMessage(), e);
        }
    }

    private boolean exists(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    private <T> T read(String table, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(runDir + "/" + table + " cannot be read (corrupt or not a SparkNAS "
                    + "table): " + message.lines().findFirst().orElse(""), e);
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
