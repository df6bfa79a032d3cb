package io.sparknas.selection;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.SpaceCell;
import io.sparknas.cost.SpaceCellStats;
import io.sparknas.cost.SpaceCellSurvey;
import io.sparknas.run.RankedCell;
import io.sparknas.space.SearchSpace;
import io.sparknas.task.SpaceCellTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Stage 1 of TinyNAS on Spark: every (resolution, width) cell of the space is surveyed in a Spark task
 * ({@link SpaceCellTask}); the cells are ranked as MCUNet does, by the mean MACs of the sampled architectures
 * that fit the target (more compute that still fits promises more accuracy), then by the share that fits.
 */
public final class SpaceSelectionJob {

    /**
     * TinyNAS's rule: the cell whose feasible samples have the most MACs on average (more compute that fits tends
     * to mean more accuracy); ties by the share that fits. Cells where less than {@code minFeasibleFraction} of the
     * samples fit rank after all the others.
     */
    public static Comparator<SpaceCellStats> ranking(double minFeasibleFraction) {
        return Comparator.comparing((SpaceCellStats s) -> s.feasibleFraction() < minFeasibleFraction)
                .thenComparing(Comparator.comparingDouble(SpaceCellStats::meanMacs).reversed())
                .thenComparing(Comparator.comparingDouble(SpaceCellStats::feasibleFraction).reversed())
                .thenComparingInt(s -> s.cell().resolution())
                .thenComparingDouble(s -> s.cell().width());
    }

    private final SearchSpace space;
    private final CostModel costModel;
    private final int samplesPerCell;
    private final int partitions;
    private final long seed;
    private final double minFeasibleFraction;

    public SpaceSelectionJob(SearchSpace space, CostModel costModel, int samplesPerCell, int partitions, long seed,
                             double minFeasibleFraction) {
        this.minFeasibleFraction = minFeasibleFraction;
        this.space = space;
        this.costModel = costModel;
        this.samplesPerCell = samplesPerCell;
        this.partitions = partitions;
        this.seed = seed;
    }

    /** Every cell of the grid, resolution-major. */
    public List<SpaceCell> cells() {
        List<SpaceCell> cells = new ArrayList<>();
        for (int resolution : space.resolutions()) {
            for (double width : space.widths()) {
                cells.add(new SpaceCell(resolution, width));
            }
        }
        return cells;
    }

    /** Surveys every cell as one Spark job and returns them ranked. */
    public List<RankedCell> run(SparkSession spark) {
        List<SpaceCell> cells = cells();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = partitions > 0 ? partitions : Math.min(cells.size(), context.defaultParallelism() * 4);
        SpaceCellTask task = new SpaceCellTask(new SpaceCellSurvey(space, costModel, samplesPerCell, seed));
        return rank(new ArrayList<>(context.parallelize(cells, slices).map(task).collect()));
    }

    /** Surveys every cell in this JVM, without Spark (a second or so for the default grid), ranked. */
    public List<RankedCell> runLocally() {
        SpaceCellSurvey survey = new SpaceCellSurvey(space, costModel, samplesPerCell, seed);
        List<SpaceCellStats> stats = new ArrayList<>();
        for (SpaceCell cell : cells()) {
            stats.add(survey.survey(cell));
        }
        return rank(stats);
    }

    private List<RankedCell> rank(List<SpaceCellStats> stats) {
        stats.sort(ranking(minFeasibleFraction));
        List<RankedCell> ranked = new ArrayList<>(stats.size());
        for (int i = 0; i < stats.size(); i++) {
            ranked.add(new RankedCell(i + 1, stats.get(i)));
        }
        return ranked;
    }
}
