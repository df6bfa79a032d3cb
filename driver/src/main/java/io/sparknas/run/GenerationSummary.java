package io.sparknas.run;

/**
 * One row of the {@code generations/} table: how a generation of the search went, committed with it.
 *
 * @param generation    the generation (0: the initial sample)
 * @param mode          the searcher ({@code ga}, {@code aging}, {@code random})
 * @param scored        new candidates scored in it
 * @param attempts      children the searcher made to find them (each a try of its operators or a random draw)
 * @param duplicates    attempts that were an architecture already known or already drawn in this generation
 * @param overBudget    attempts that did not fit the target (recorded as infeasible, not scored)
 * @param randomFills   offspring drawn at random because the operators found nothing new that fits in their tries
 * @param bestMap50     best val mAP@0.5 of every feasible candidate so far, or null when none
 * @param hypervolume   two-objective runs: the hypervolume of the Pareto front of every candidate so far (mAP
 *                      times cost saved against the reference point); null for the single objective
 * @param seconds       wall seconds of the generation
 */
public record GenerationSummary(int generation, String mode, int scored, int attempts, int duplicates, int overBudget,
                                int randomFills, Double bestMap50, Double hypervolume, double seconds) {

    /** Share of the attempts that were duplicates; 0 when there were none. */
    public double duplicateRate() {
        return attempts == 0 ? 0 : (double) duplicates / attempts;
    }

    /** The columns of a generation's files. */
    public static final RowCodec<GenerationSummary> CODEC = RowCodec.<GenerationSummary>builder()
            .string("mode", GenerationSummary::mode)
            .integer("scored", GenerationSummary::scored)
            .integer("attempts", GenerationSummary::attempts)
            .integer("duplicates", GenerationSummary::duplicates)
            .decimal("duplicate_rate", GenerationSummary::duplicateRate)
            .integer("over_budget", GenerationSummary::overBudget)
            .integer("random_fills", GenerationSummary::randomFills)
            .optionalDecimal("best_map50", GenerationSummary::bestMap50)
            .optionalDecimal("hypervolume", GenerationSummary::hypervolume)
            .decimal("seconds", GenerationSummary::seconds)
            .build(row -> new GenerationSummary(row.integer(GenerationTable.GENERATION), row.string("mode"),
                    row.integer("scored"), row.integer("attempts"), row.integer("duplicates"),
                    row.integer("over_budget"), row.integer("random_fills"), row.optionalDecimal("best_map50"),
                    row.optionalDecimal("hypervolume"), row.decimal("seconds")));
}
