package io.sparknas.config;

/**
 * Where a run writes and how it is seeded.
 *
 * @param outputDir folder receiving one sub-folder per run
 * @param seed      the root seed
 */
public record RunSettings(String outputDir, long seed) {
}
