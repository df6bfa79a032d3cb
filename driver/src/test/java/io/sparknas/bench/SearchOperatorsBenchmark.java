package io.sparknas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SearchMode;
import io.sparknas.config.SearchSettings;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.run.CandidateRow;
import io.sparknas.search.CandidateLedger;
import io.sparknas.search.CandidateScorer;
import io.sparknas.search.Evolution;
import io.sparknas.search.SearchObjective;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;
import io.sparknas.space.SearchSpace;
import io.sparknas.task.CandidateScore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The search itself, without training: each searcher ({@code ga}, {@code aging}, {@code random}) runs the
 * production {@link Evolution} over the default configuration's space and target budgets, for several seeds, with
 * an objective whose optimum is known: TinyNAS's proxy, the MACs of an architecture that fits (larger models under
 * the same budgets are the more accurate ones). The optimum is the best of long GA runs, then polished by steepest
 * ascent over every single live choice until none improves (a local optimum no single change beats); the long runs
 * use the default operators with a population of 32 whatever {@code --set} says, so regrets of different settings
 * compare. Regret at a budget of B scored candidates is (optimum − best of the first B) / optimum.
 *
 * <p>The default objective is capacity, the geometric mean of MMACs and millions of parameters. MACs alone
 * ({@code --objective macs}) is nearly the latency budget itself (latency is MACs times cycles per MAC), so the
 * random samples that fit already lie within a few per cent of its optimum and the benchmark says little about the
 * operators; capacity trades what the latency budget limits (MACs, in the early high-resolution stages) against
 * what it hardly does (parameters, in the late stages), a real combinatorial problem.
 *
 * <pre>java ... io.sparknas.bench.SearchOperatorsBenchmark OUT.json [--seeds N] [--budgets 16,64,256]
 *     [--first-seed S] [--optimum-evaluations N] [--cell RESOLUTION WIDTH] [--objective capacity|macs]
 *     [--set KEY=VALUE ...]</pre>
 *
 * <p>{@code --set} overrides configuration keys as {@code sparknas --set} does (e.g. another target or mutation
 * rate).
 */
public final class SearchOperatorsBenchmark {

    private static final String[] SEARCHERS = {"ga", "aging", "random"};

    private SearchOperatorsBenchmark() {
    }

    /** The best-so-far curve of one search, and its breeding counts. */
    private record Trace(double[] bestAfter, int attempts, int duplicates, double worstGenerationDuplicateRate) {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int seeds = 10;
        int firstSeed = 1;
        int[] budgets = {16, 64, 256};
        int optimumEvaluations = 6000;
        Integer cellResolution = null;
        Double cellWidth = null;
        List<String> overrides = new ArrayList<>();
        Proxy proxy = Proxy.CAPACITY;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--set" -> overrides.add(args[++i]);
                case "--objective" -> proxy = Proxy.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> firstSeed = Integer.parseInt(args[++i]);
                case "--budgets" -> budgets = java.util.Arrays.stream(args[++i].split(","))
                        .mapToInt(Integer::parseInt).toArray();
                case "--optimum-evaluations" -> optimumEvaluations = Integer.parseInt(args[++i]);
                case "--cell" -> {
                    cellResolution = Integer.parseInt(args[++i]);
                    cellWidth = Double.parseDouble(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SparkNasConfig config = ConfigLoader.load(null, overrides);
        SearchSpace space = cellResolution == null ? config.space() : config.space().narrow(cellResolution, cellWidth);
        CostModel costModel = new CostModel(space, config.target(), config.cost());
        SearchSettings base = config.search();
        int budget = java.util.Arrays.stream(budgets).max().orElseThrow();
        long start = System.nanoTime();

        SearchSettings defaults = ConfigLoader.load(null, List.of()).search();
        SearchSettings longRuns = new SearchSettings(SearchMode.GA, defaults.objective(), 32, defaults.generations(),
                defaults.offspringFraction(), defaults.crossoverRate(), defaults.mutationRate(),
                defaults.tournamentSize(), 0, 0, 1, defaults.sampleAttempts(), defaults.breedingAttempts(), false);
        double optimum = optimum(space, costModel, longRuns, optimumEvaluations, proxy);
        System.out.printf(Locale.ROOT, "optimum (best known): %.3f %s (%.0f s)%n", optimum, proxy.unit(),
                (System.nanoTime() - start) / 1e9);

        Map<String, List<Trace>> traces = new HashMap<>();
        for (String searcher : SEARCHERS) {
            SearchSettings settings = withMode(base, SearchMode.fromText(searcher));
            List<Trace> runs = new ArrayList<>();
            for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
                Trace trace = search(space, costModel, settings, seed, budget, proxy);
                runs.add(trace);
                optimum = Math.max(optimum, trace.bestAfter()[budget - 1]);
            }
            traces.put(searcher, runs);
        }

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", "search-operators");
        root.put("command", "bench/search-operators.sh " + String.join(" ", java.util.Arrays.copyOfRange(args, 1,
                args.length)));
        root.put("date", Instant.now().toString());
        root.put("git_revision", BenchRecords.gitRevision());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("objective", proxy.name().toLowerCase(Locale.ROOT));
        parameters.put("objective_meaning", proxy.meaning() + ", of an architecture that fits the target; regret = "
                + "(optimum - best of the first B scored) / optimum");
        parameters.put("space", cellResolution == null ? "the default configuration's whole space"
                : "the default space's cell " + cellResolution + " px x " + cellWidth);
        parameters.put("target", config.target().name());
        parameters.put("sram_bytes", config.target().sramBytes());
        parameters.put("flash_bytes", config.target().flashBytes());
        parameters.put("latency_budget_ms", config.target().latencyBudgetMs());
        parameters.put("memory_plan", config.cost().plan().configName());
        parameters.put("population", base.population());
        parameters.put("offspring_per_generation", Evolution.offspringPerGeneration(base));
        parameters.put("crossover_rate", base.crossoverRate());
        parameters.put("mutation_rate", base.mutationRate());
        parameters.put("tournament_size", base.tournamentSize());
        parameters.put("breeding_attempts", base.breedingAttempts());
        parameters.put("seeds", seeds);
        parameters.put("first_seed", firstSeed);
        parameters.set("budgets", json.valueToTree(budgets));
        parameters.put("optimum_evaluations", optimumEvaluations);
        ObjectNode samples = root.putObject("random_samples");
        SplittableRandom sampling = new SplittableRandom(2026);
        Map<String, Integer> violated = new java.util.TreeMap<>();
        int fit = 0;
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            Costs costs = costModel.evaluate(space.sample(sampling));
            if (costs.feasible()) {
                fit++;
            } else {
                violated.merge(costs.violatedBudget(), 1, Integer::sum);
            }
        }
        samples.put("count", count);
        samples.put("fit", fit);
        samples.set("first_violated_budget", json.valueToTree(violated));
        root.put("optimum", optimum);
        root.put("optimum_unit", proxy.unit());
        root.put("optimum_method", "best of 4 GA runs (the default operators, population 32, whatever --set says) of "
                + optimumEvaluations + " scored candidates each, then steepest ascent over single live choices to a "
                + "local optimum; raised if any benchmarked search found more");
        ArrayNode results = root.putArray("results");
        System.out.printf("%-8s %7s %14s %14s %16s%n", "searcher", "budget", "regret mean", "regret std",
                "duplicate rate");
        for (String searcher : SEARCHERS) {
            List<Trace> runs = traces.get(searcher);
            int attempts = runs.stream().mapToInt(Trace::attempts).sum();
            int duplicates = runs.stream().mapToInt(Trace::duplicates).sum();
            double duplicateRate = attempts == 0 ? 0 : (double) duplicates / attempts;
            double worstGeneration = runs.stream().mapToDouble(Trace::worstGenerationDuplicateRate).max().orElse(0);
            for (int b : budgets) {
                double[] regrets = new double[runs.size()];
                for (int i = 0; i < runs.size(); i++) {
                    regrets[i] = (optimum - runs.get(i).bestAfter()[b - 1]) / optimum;
                }
                double mean = java.util.Arrays.stream(regrets).average().orElse(Double.NaN);
                double std = Math.sqrt(java.util.Arrays.stream(regrets).map(r -> (r - mean) * (r - mean)).sum()
                        / Math.max(1, regrets.length - 1));
                ObjectNode row = results.addObject();
                row.put("searcher", searcher);
                row.put("budget", b);
                row.put("regret_mean", mean);
                row.put("regret_std", std);
                row.put("duplicate_rate", duplicateRate);
                row.put("worst_generation_duplicate_rate", worstGeneration);
                row.set("regrets", json.valueToTree(regrets));
                System.out.printf(Locale.ROOT, "%-8s %7d %14.4f %14.4f %9.3f (worst generation %.3f)%n", searcher, b,
                        mean, std, duplicateRate, worstGeneration);
            }
        }
        root.put("seconds", (System.nanoTime() - start) / 1e9);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    /** One search of {@code budget} scored candidates; the best MMACs after each scored candidate. */
    private static Trace search(SearchSpace space, CostModel costModel, SearchSettings settings, long seed,
                                int budget, Proxy proxy) {
        CandidateLedger ledger = new CandidateLedger("bench", (generation, rows) -> { }, costModel,
                new ProxyScorer(costModel, proxy), 0, "TinyNAS proxy");
        @SuppressWarnings("unchecked")
        SearchObjective<Double> objective = (SearchObjective<Double>) SearchObjective.of(settings.objective());
        Evolution<Double> evolution = new Evolution<>(settings, objective, new GeneCodec(space), ledger);
        long searchSeed = Seeds.derive(seed, "search");
        Evolution.Generation<Double> generation = evolution.initial(
                new SplittableRandom(Seeds.derive(searchSeed, "initial", 0)));
        ledger.commit(0);
        ISeq<Phenotype<IntegerGene, Double>> population = generation.population();
        int attempts = 0;
        int duplicates = 0;
        double worst = 0;
        for (int g = 1; scored(ledger).size() < budget; g++) {
            generation = evolution.next(population, g, new SplittableRandom(Seeds.derive(searchSeed, "generation", g)),
                    List.of());
            ledger.commit(g);
            population = generation.population();
            attempts += generation.stats().attempts();
            duplicates += generation.stats().duplicates();
            worst = Math.max(worst, generation.stats().duplicateRate());
        }
        List<CandidateRow> scored = scored(ledger);
        double[] best = new double[budget];
        double running = 0;
        for (int i = 0; i < budget; i++) {
            running = Math.max(running, scored.get(i).map50());
            best[i] = running;
        }
        return new Trace(best, attempts, duplicates, worst);
    }

    /** The scored candidates in the order they were scored (generation, then the order bred). */
    private static List<CandidateRow> scored(CandidateLedger ledger) {
        return ledger.rows().stream().filter(CandidateRow::evaluated).toList();
    }

    /** Long GA runs, then steepest ascent over single live choices from the best. */
    private static double optimum(SearchSpace space, CostModel costModel, SearchSettings base, int evaluations,
                                  Proxy proxy) {
        GeneCodec codec = new GeneCodec(space);
        double best = 0;
        Architecture bestArchitecture = null;
        for (int run = 0; run < 4; run++) {
            CandidateLedger ledger = new CandidateLedger("optimum", (generation, rows) -> { }, costModel,
                    new ProxyScorer(costModel, proxy), 0, "TinyNAS proxy");
            SearchSettings settings = withMode(base, SearchMode.GA);
            @SuppressWarnings("unchecked")
            SearchObjective<Double> objective = (SearchObjective<Double>) SearchObjective.of(settings.objective());
            Evolution<Double> evolution = new Evolution<>(settings, objective, codec, ledger);
            long seed = Seeds.derive(1000 + run, "optimum");
            ISeq<Phenotype<IntegerGene, Double>> population = evolution.initial(
                    new SplittableRandom(Seeds.derive(seed, "initial", 0))).population();
            ledger.commit(0);
            for (int g = 1; scored(ledger).size() < evaluations; g++) {
                population = evolution.next(population, g, new SplittableRandom(Seeds.derive(seed, "generation", g)),
                        List.of()).population();
                ledger.commit(g);
            }
            for (CandidateRow row : scored(ledger)) {
                if (row.map50() > best) {
                    best = row.map50();
                    bestArchitecture = row.architecture();
                }
            }
        }
        Architecture top = io.sparknas.cost.FeasibleAscent.climb(codec, costModel, bestArchitecture, proxy::of);
        return Math.max(best, proxy.of(costModel.evaluate(top)));
    }

    private static SearchSettings withMode(SearchSettings s, SearchMode mode) {
        return new SearchSettings(mode, s.objective(), s.population(), s.generations(), s.offspringFraction(),
                s.crossoverRate(), s.mutationRate(), s.tournamentSize(), s.partitions(), s.threadsPerTask(), s.top(),
                s.sampleAttempts(), s.breedingAttempts(), false);
    }

    /** The known objectives a candidate that fits is scored by. */
    enum Proxy {
        /** TinyNAS's proxy: MMACs. */
        MACS,
        /** Capacity: the geometric mean of MMACs and millions of parameters. */
        CAPACITY;

        String unit() {
            return this == MACS ? "MMACs" : "sqrt(MMACs x M params)";
        }

        String meaning() {
            return this == MACS ? "MMACs (the TinyNAS proxy)"
                    : "capacity: the geometric mean of MMACs and millions of parameters";
        }

        double of(Costs costs) {
            return switch (this) {
                case MACS -> costs.macs() / 1e6;
                case CAPACITY -> Math.sqrt(costs.macs() / 1e6 * (costs.params() / 1e6));
            };
        }
    }

    /** Scores a candidate by a proxy of its costs (every candidate it is asked about fits: the ledger checks first). */
    private record ProxyScorer(CostModel costModel, Proxy proxy) implements CandidateScorer {
        @Override
        public Map<String, CandidateScore> score(List<io.sparknas.task.CandidateRequest> requests, String job) {
            Map<String, CandidateScore> scores = new HashMap<>();
            for (io.sparknas.task.CandidateRequest request : requests) {
                double value = proxy.of(costModel.evaluate(request.architecture()));
                scores.put(request.candidateId(), new CandidateScore(request.candidateId(), value, value, 0, "local",
                        0));
            }
            return scores;
        }
    }
}
