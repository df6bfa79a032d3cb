package io.sparknas.config;

/**
 * Stage-1 space selection.
 *
 * @param samplesPerCell architectures sampled per (resolution, width) cell
 * @param partitions     Spark partitions for the grid; 0 for automatic
 * @param minFeasibleFraction cells where a smaller share of samples fits rank after all others
 */
public record SpaceSelectionSettings(int samplesPerCell, int partitions, double minFeasibleFraction) {
}
