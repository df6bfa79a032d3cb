package io.sparknas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.cost.LayerGraph;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.FinalModelRow;
import io.sparknas.task.FinalExport;
import io.sparknas.run.GenerationSummary;
import io.sparknas.run.ProposalRow;
import io.sparknas.run.RankedCell;
import io.sparknas.run.Run;
import io.sparknas.run.RunManifest;
import io.sparknas.run.SpaceSelectionRow;
import io.sparknas.search.SearchObjective;
import io.sparknas.space.SearchSpace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One self-contained HTML report of a run, plots embedded as PNG: the Pareto fronts of val mAP against peak SRAM,
 * MACs and latency with the budgets, the best mAP per generation by proposer, the stage-1 table, the best model's
 * per-layer memory profile under the three execution plans, the LLM proposals' outcomes, the final models without
 * and with distillation, and the run's configuration and provenance. Every table is read with a message naming
 * its path when it is missing or unreadable.
 */
public final class RunReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Run run;

    public RunReport(Run run) {
        this.run = run;
    }

    /** The report as HTML. */
    public String html() {
        RunManifest recorded = run.manifest();
        JsonNode manifest = recorded.json();
        SparkNasConfig config = recorded.configuration(List.of());
        List<CandidateRow> rows = read(Run.CANDIDATES, () -> run.candidates().read());
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(run.candidates().location() + ": no committed candidates");
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
        breeding(page);
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

    private void breeding(Html page) {
        if (!run.generations().exists()) {
            page.paragraph("No generations/ table (the run was made before it was written).");
            return;
        }
        List<GenerationSummary> summaries = read(Run.GENERATIONS, () -> run.generations().read());
        page.image(BreedingChart.tries(summaries), "duplicate and over-budget children per generation");
        if (summaries.stream().anyMatch(s -> s.hypervolume() != null)) {
            page.image(BreedingChart.hypervolume(summaries), "hypervolume per generation");
        }
    }

    private void proposals(Html page) {
        if (!run.proposals().exists()) {
            page.paragraph("No LLM proposals in this run (llm.endpoint was not set).");
            return;
        }
        List<ProposalRow> proposals = read(Run.PROPOSALS, () -> run.proposals().read());
        Map<String, Integer> outcomes = new TreeMap<>();
        proposals.forEach(p -> outcomes.merge(p.outcome().text(), 1, Integer::sum));
        List<List<String>> table = new ArrayList<>();
        outcomes.forEach((outcome, count) -> table.add(List.of(outcome, Integer.toString(count))));
        page.paragraph("LLM proposals by outcome (" + Run.PROPOSALS + "/):");
        page.table(List.of("outcome", "proposals or requests"), table);
    }

    private void spaceSelection(Html page) {
        if (!run.spaceSelection().exists()) {
            page.paragraph("No stage-1 table: the run was given its supernet (--supernet).");
            return;
        }
        List<RankedCell> cells = read(Run.SPACE_SELECTION, () -> run.spaceSelection().read()).stream()
                .map(SpaceSelectionRow::cell).toList();
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
        if (!run.finalModels().exists()) {
            page.paragraph("Not finalized yet: 'sparknas finalize --run RUN_ID' trains the best candidates fully.");
            return;
        }
        List<FinalModelRow> rows = read(Run.FINAL_MODELS, () -> run.finalModels().read());
        List<FinalModelsChart.Bar> bars = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (FinalModelRow row : rows) {
            String label = (row.rank() == 0 ? "baseline" : "#" + row.rank()) + " seed " + row.seed();
            Double int8Without = row.withoutKd().int8(FinalExport::int8TestMap50);
            FinalModelRow.Training distilled = row.withKd();
            Double int8With = distilled == null ? null : distilled.int8(FinalExport::int8TestMap50);
            bars.add(new FinalModelsChart.Bar(label, row.withoutKd().testMap50(),
                    distilled == null ? null : distilled.testMap50(), int8Without, int8With));
            table.add(List.of(label, row.candidateId(),
                    String.format(Locale.ROOT, "%.2f", row.macs() / 1e6),
                    String.format(Locale.ROOT, "%.1f", row.peakSram() / 1024.0),
                    String.format(Locale.ROOT, "%.4f", row.withoutKd().testMap50()),
                    figure(int8Without),
                    distilled == null ? "not trained" : String.format(Locale.ROOT, "%.4f", distilled.testMap50()),
                    figure(int8With),
                    String.format(Locale.ROOT, "%.1f", row.trainingSeconds() / 60),
                    deployFiles(row.deployed())));
        }
        FinalModelRow first = rows.get(0);
        page.image(FinalModelsChart.chart(bars, first.teacher(), first.teacherTestMap50()),
                "test mAP@0.5 without and with distillation, fp32 and int8");
        page.table(List.of("model", "candidate", "MMACs", "peak SRAM (KiB)", "test mAP@0.5 without KD", "int8",
                "with KD", "int8", "training minutes", "deployable files (the better val mAP)"), table);
    }

    private static String figure(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String deployFiles(FinalModelRow.Training training) {
        String onnx = training.file(FinalExport::onnx);
        if (onnx == null) {
            return "not exported";
        }
        String c = training.file(FinalExport::cModel);
        return fileName(onnx) + ", " + fileName(training.file(FinalExport::onnxInt8))
                + (c == null ? "" : ", " + fileName(c) + "/ (C)");
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private <T> T read(String table, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(run.location(table) + " cannot be read (corrupt or not a SparkNAS "
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
