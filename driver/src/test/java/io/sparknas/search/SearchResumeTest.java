package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SearchSettings;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.run.CandidateRow;
import io.sparknas.run.PopulationMember;
import io.sparknas.run.Run;
import io.sparknas.space.SearchSpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search stopped after a committed generation and resumed from its run folder (real Parquet tables, a local Spark
 * session; candidates scored by their MACs so no training is needed) equals the uninterrupted search row for row,
 * also when a generation after the interruption revives a latent gene: the population's whole genotypes are stored.
 * Restoring them with latent genes reset to 0, as older versions did, is shown to diverge on the same seed.
 */
class SearchResumeTest {

    private static final SparkNasConfig CONFIG = ConfigLoader.load(null, List.of("search.population=8"));
    private static final SearchSpace CELL = CONFIG.space().narrow(80, 0.9);
    private static final int GENERATIONS = 8;
    private static final int STOP_AFTER = 2;

    @TempDir
    static Path results;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aResumedSearchEqualsTheUninterruptedOneEvenWhenALatentGeneIsRevivedLater() {
        int revivingSeeds = 0;
        for (long seed = 1; seed <= 6; seed++) {
            List<String> straight = rows(search("straight-" + seed, seed, GENERATIONS, false));
            Run stopped = search("stopped-" + seed, seed, STOP_AFTER, false);
            assertEquals(STOP_AFTER, stopped.population().lastGeneration());
            List<String> resumed = rows(search("stopped-" + seed, seed, GENERATIONS, false));
            assertEquals(straight, resumed, "seed " + seed + ": the resumed run, row for row");

            search("zeroed-" + seed, seed, STOP_AFTER, false);
            List<String> zeroed = rows(search("zeroed-" + seed, seed, GENERATIONS, true));
            if (!zeroed.equals(straight)) {
                revivingSeeds++;
            }
            if (revivingSeeds > 0 && seed >= 2) {
                break;
            }
        }
        assertTrue(revivingSeeds >= 1, "on some seed a latent gene matters after the interruption, so resetting "
                + "latent genes (the old resume) diverges; none of 6 seeds did");
    }

    @Test
    void theGenerationsTableHoldsOneSummaryPerGenerationWithItsDuplicateRate() {
        Run run = search("summaries", 9, 3, false);
        var summaries = run.generations().read();
        assertEquals(List.of(0, 1, 2, 3), summaries.stream().map(s -> s.generation()).toList());
        int offspring = Evolution.offspringPerGeneration(CONFIG.search());
        for (var summary : summaries.subList(1, summaries.size())) {
            assertEquals(offspring, summary.scored());
            assertTrue(summary.attempts() >= offspring);
            assertEquals((double) summary.duplicates() / summary.attempts(), summary.duplicateRate(), 1e-12);
            assertTrue(summary.bestMap50() > 0);
        }
        assertNotEquals(null, run.population().read(3).get(0).genes());
    }

    /**
     * Runs (or resumes) search {@code id} up to {@code generations}; with {@code zeroLatent}, the last committed
     * population is first rewritten without genotypes, as older versions stored it.
     */
    private static Run search(String id, long seed, int generations, boolean zeroLatent) {
        Run run = Run.exists(spark, results.toString(), id) ? Run.open(spark, results.toString(), id, CONFIG, l -> { })
                : Run.create(spark, results.toString(), id, CONFIG, "test", Map.of("run", seed), l -> { });
        if (zeroLatent) {
            int last = run.population().lastGeneration();
            List<PopulationMember> members = new ArrayList<>();
            for (PopulationMember m : run.population().read(last)) {
                members.add(new PopulationMember(m.position(), m.candidateId(), m.architecture(), m.fitness(),
                        m.born(), null));
            }
            run.population().commit(last, members);
        }
        SearchSettings base = CONFIG.search();
        SearchSettings settings = new SearchSettings(base.mode(), base.objective(), base.population(), generations,
                base.offspringFraction(), base.crossoverRate(), base.mutationRate(), base.tournamentSize(),
                base.partitions(), base.threadsPerTask(), base.top(), base.sampleAttempts(), base.breedingAttempts(),
                false);
        CandidateLedger ledger = new CandidateLedger(id, run.candidates()::commit,
                new io.sparknas.cost.CostModel(CELL, CONFIG.target(), CONFIG.cost()), (requests, job) -> {
                    Map<String, io.sparknas.task.CandidateScore> scores = new java.util.HashMap<>();
                    for (var request : requests) {
                        double macs = new io.sparknas.cost.CostModel(CELL, CONFIG.target(), CONFIG.cost())
                                .evaluate(request.architecture()).macs() / 1e6;
                        scores.put(request.candidateId(), new io.sparknas.task.CandidateScore(request.candidateId(),
                                macs, macs, 0, "test", 0));
                    }
                    return scores;
                }, 0, "proxy");
        @SuppressWarnings("unchecked")
        SearchObjective<Double> objective = (SearchObjective<Double>) SearchObjective.of(base.objective());
        new ArchitectureSearch<>(run, settings, objective, CELL, ledger, seed, null).run();
        return run;
    }

    /** Every candidate row, as text, in (generation, id) order: what must be equal. */
    private static List<String> rows(Run run) {
        return run.candidates().read().stream().map(SearchResumeTest::text).toList();
    }

    private static String text(CandidateRow r) {
        return r.generation() + " " + r.candidateId() + " " + r.proposer() + " " + r.feasible() + " " + r.map50();
    }
}
