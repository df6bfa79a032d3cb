package io.sparknas.run;

import io.sparknas.cost.SpaceCellStats;

/**
 * A stage-1 cell with its rank (1 = best: highest mean MACs among the architectures that fit).
 *
 * @param rank  1-based rank
 * @param stats what sampling the cell found
 */
public record RankedCell(int rank, SpaceCellStats stats) {
}
