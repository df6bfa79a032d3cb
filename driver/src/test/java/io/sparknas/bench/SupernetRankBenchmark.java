package io.sparknas.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionDataset;
import io.sparknas.run.CandidateRow;
import io.sparknas.search.CandidateLedger;
import io.sparknas.search.Evolution;
import io.sparknas.search.SearchObjective;
import io.sparknas.search.SearchPipeline;
import io.sparknas.search.SparkSandwichSteps;
import io.sparknas.seed.Seeds;
import io.sparknas.spark.SparkSessions;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.GeneCodec;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.MemberConvTypes;
import io.sparknas.supernet.SubnetEvaluator;
import io.sparknas.supernet.SubnetScore;
import io.sparknas.supernet.Supernet;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.supernet.SupernetTrainer;
import io.sparknas.task.CandidateScore;
import io.sparknas.train.DetectorTrainer;
import io.sparknas.train.TrainingResult;
import io.sparknas.train.TrainingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/**
 * Does the supernet rank? Issue 18's benchmark, over the default search's cell, target and data: architectures that
 * fit, evenly spread over the feasible MAC range, each trained stand-alone long enough for their val mAPs to spread;
 * a supernet trained with the configuration's {@code supernet.*} (override with {@code --set}) as the tool trains
 * it, on Spark ({@code spark.master}, {@code supernet.parallelism} shards per step); every architecture
 * scored with inherited weights after BatchNorm recalibration; Kendall τ-b and Spearman ρ between the two with a
 * bootstrap 90 % interval, and the top-5 overlap; the same for the inherited validation loss (lower ranks higher,
 * {@code inherited_val_loss}: a continuous score of the same forward pass); the same τ-b for scores that need no
 * training ({@link ArchitectureProxies}: MACs, latency, fewer depthwise-separable blocks, fewer blocks), the floor the
 * inherited ranking has to clear ({@code untrained_proxies}). Then GA, aging and random search on the trained
 * supernet at equal budget over several seeds: each searcher's best inherited val mAP, and the stand-alone val mAP of
 * that best.
 *
 * <p>Resumable: every finished unit is cached under {@code --cache} (ignored by git) and skipped when run again: each
 * stand-alone training (by architecture and training settings), the supernet (its own per-epoch checkpoint, in a
 * folder named by the settings' fingerprint), each search (by searcher, seed, budget and supernet). A run of several
 * hours on 2 cores is meant to be run again until it completes.
 *
 * <p>{@code --supernet-only} trains (or loads) the supernet and scores its two ends, skipping everything else: to
 * train a variant's supernet ahead of the stand-alone set. {@code --cached-only} trains no architecture stand-alone
 * and runs no search: it ranks the architectures whose stand-alone training is cached and lists the searches whose
 * result and best's stand-alone training are cached (an interim record, marked {@code "partial": true} when anything
 * planned is missing).
 *
 * <p>{@code --supernet-seed N} (N ≥ 1) trains the supernet with another seed derived from the configuration's (its
 * initialisation, members, batch order and augmentation; the data and the stand-alone trainings unchanged), so that
 * two supernets of one setting show how far the ranking moves from one training to the next; 0, the default, keeps
 * the configuration's seed.
 *
 * <p>{@code --standalone-seeds N} trains every architecture of the set stand-alone with N training seeds (the
 * configuration's {@code training.seed}, then the next N − 1 integers; all seed-1 trainings first, so an interrupted
 * run leaves the set evenly covered): the ground truth is the mean best val mAP@0.5 over the seeds, and the record
 * says how well two stand-alone trainings of the same architectures agree with each other (Kendall τ-b between the
 * first two seeds, and the per-architecture standard deviation) — the ceiling any inherited ranking is measured
 * against. The searchers' best architectures are trained with the first seed only.
 *
 * <p>{@code --standalone-from RECORD} (repeatable) seeds the stand-alone cache from an earlier record made with the same
 * data and training settings ({@link StandaloneImport}): a new supernet variant is then ranked against the same
 * ground truth without training it again; a search whose best the record's searchers also found gets that best's
 * stand-alone score the same way.
 *
 * <p>{@code --adapt STEPS[@LEARNING_RATE]} (repeatable; default rate 0.001) ranks the set a second time with each
 * subnet first trained for that many steps from its inherited weights ({@link SubnetEvaluator#withAdaptation}):
 * {@code "adapted"} in the record, one row per setting, with its τ-b, interval, ρ, top-5 overlap and cost.
 * {@code --adapt-scratch STEPS[@LEARNING_RATE]} is its control: the same steps from freshly initialised weights.
 * Either takes {@code ,seed=N} at the end to replicate it with another seed (the batch order and, from scratch, the
 * initial weights; default the supernet's seed).
 *
 * <p>Two processes started on the same cache once its supernet is trained share the stand-alone trainings and the
 * searches: each unit is claimed by the process that runs it ({@link UnitClaim}); the other goes on to the next free
 * unit, then awaits the claimed ones before writing its record. The free units run cheapest first: every search
 * (a few minutes each), seed by seed, then the stand-alone trainings of their bests in the same order, so an
 * interrupted run has every searcher's inherited best and its trainings spread over the searchers.
 * {@code --searchers} names the searchers to run and the order of their free units within a seed (the second process
 * can take {@code random,aging,ga}).
 *
 * <pre>java ... io.sparknas.bench.SupernetRankBenchmark OUT.json [--cache DIR] [--architectures N] [--supernet-only]
 *     [--cached-only] [--standalone-from RECORD] [--adapt STEPS[@LEARNING_RATE][,seed=N] ...]
 *     [--adapt-scratch STEPS[@LEARNING_RATE][,seed=N] ...]
 *     [--standalone-epochs N] [--standalone-seeds N] [--cell RESOLUTION WIDTH] [--budget N] [--seeds N]
 *     [--supernet-seed N] [--searchers ga,aging,random] [--set KEY=VALUE ...]</pre>
 */
public final class SupernetRankBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SEARCHERS = {"ga", "aging", "random"};

    private SupernetRankBenchmark() {
    }

    /** One stand-alone training's outcome. */
    private record Standalone(double bestValMap50, double finalValMap50, int epochs, double seconds) {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path cache = Path.of("bench-results/supernet-rank");
        int count = 16;
        int standaloneEpochs = 20;
        int resolution = 80;
        double width = 0.9;
        int budget = 64;
        int seeds = 3;
        int supernetSeed = 0;
        int standaloneSeeds = 1;
        boolean supernetOnly = false;
        boolean cachedOnly = false;
        List<String> searchers = List.of(SEARCHERS);
        List<Path> imports = new ArrayList<>();
        List<String> adaptations = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--cache" -> cache = Path.of(args[++i]);
                case "--architectures" -> count = Integer.parseInt(args[++i]);
                case "--standalone-epochs" -> standaloneEpochs = Integer.parseInt(args[++i]);
                case "--cell" -> {
                    resolution = Integer.parseInt(args[++i]);
                    width = Double.parseDouble(args[++i]);
                }
                case "--budget" -> budget = Integer.parseInt(args[++i]);
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--supernet-seed" -> supernetSeed = Integer.parseInt(args[++i]);
                case "--searchers" -> searchers = searcherOrder(args[++i]);
                case "--standalone-seeds" -> standaloneSeeds = Integer.parseInt(args[++i]);
                case "--supernet-only" -> supernetOnly = true;
                case "--cached-only" -> cachedOnly = true;
                case "--standalone-from" -> imports.add(Path.of(args[++i]));
                case "--adapt" -> adaptations.add(args[++i]);
                case "--adapt-scratch" -> adaptations.add("scratch:" + args[++i]);
                case "--set" -> overrides.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long start = System.nanoTime();
        SparkNasConfig config = ConfigLoader.load(null, overrides);
        SearchSpace cell = config.space().narrow(resolution, width);
        CostModel costModel = new CostModel(cell, config.target(), config.cost());
        DetectionDataset data = config.data().load(DataFiles.local());
        TrainingSettings training = config.training().withEpochs(standaloneEpochs);
        Files.createDirectories(cache);
        System.out.printf(Locale.ROOT, "cell %d px x %.2f on %s; %d training, %d val images; cache %s%n", resolution,
                width, config.target().name(), data.train().size(), data.val().size(), cache);

        List<Architecture> architectures = pick(cell, costModel, count, config.run().seed());
        int planned = architectures.size();
        for (Path record : imports) {
            int written = StandaloneImport.seed(record, architectures, cell, training, config.data().toString(), cache);
            System.out.printf(Locale.ROOT, "--standalone-from %s: %d stand-alone training(s) imported into the cache%n",
                    record, written);
        }
        Map<Architecture, List<Standalone>> standalone = new HashMap<>();
        for (int s = 0; s < standaloneSeeds && !supernetOnly && !cachedOnly; s++) {
            TrainingSettings seeded = training.withSeed(training.seed() + s);
            for (Architecture architecture : architectures) {
                standalone(cell, seeded, architecture, data, cache, "", Wait.FREE_ONLY);
            }
        }
        for (int s = 0; s < standaloneSeeds && !supernetOnly; s++) {
            TrainingSettings seeded = training.withSeed(training.seed() + s);
            for (int i = 0; i < architectures.size(); i++) {
                Standalone trained = standalone(cell, seeded, architectures.get(i), data, cache,
                        "[" + (i + 1) + "/" + architectures.size() + (standaloneSeeds > 1 ? " seed " + (s + 1) : "")
                                + "] ", cachedOnly ? Wait.CACHED_ONLY : Wait.AWAIT);
                if (trained != null) {
                    standalone.computeIfAbsent(architectures.get(i), a -> new ArrayList<>()).add(trained);
                }
            }
        }
        int allSeeds = standaloneSeeds;
        if (cachedOnly) {
            architectures = architectures.stream()
                    .filter(a -> standalone.getOrDefault(a, List.of()).size() == allSeeds).toList();
            System.out.printf(Locale.ROOT, "cached only: %d of %d architectures trained stand-alone with all %d "
                    + "seed(s) so far; only cached searches%n", architectures.size(), planned, standaloneSeeds);
        }

        SupernetSettings supernetSettings = supernetSeed == 0 ? config.supernet()
                : config.supernet().withSeed(Seeds.derive(config.supernet().seed(), "training", supernetSeed));
        SparkSession spark = SparkSessions.create(config.spark());
        int shards = Math.min(supernetSettings.batchSize(), config.supernetParallelism() > 0
                ? config.supernetParallelism() : spark.sparkContext().defaultParallelism());
        String supernetKey = BenchRecords.fingerprint(settingsKey(supernetSettings) + "|" + cell + "|"
                + config.data() + "|" + config.target() + "|shards=" + shards);
        Path checkpoint = cache.resolve("supernet-" + supernetKey).resolve("supernet.ckpt");
        Files.createDirectories(checkpoint.getParent());
        SupernetTrainer trainer = new SupernetTrainer(cell, supernetSettings, checkpoint, System.out::println,
                () -> { }, costModel).withSteps(SparkSandwichSteps.on(spark, config.data(), shards,
                        SearchPipeline.threadsPerTask(spark.sparkContext().getConf(), config.search().threadsPerTask())));
        System.out.println(SupernetTrainer.describe(trainer.ends(), costModel));
        SupernetTrainer.Trained supernet = trainer.train(data.train(), data.val());
        double supernetMinutes = supernet.history().stream().mapToDouble(e -> e.seconds()).sum() / 60;
        SubnetEvaluator evaluator = new SubnetEvaluator(supernet.supernet(), data.train(), data.val(),
                supernetSettings.recalibrationBatches(), supernetSettings.batchSize(), supernetSettings.seed())
                .withValidationLoss();

        List<SingleChangeDiagnosis.Group> diagnosis = SingleChangeDiagnosis.of(trainer.ends().largest(), cell,
                a -> evaluator.evaluate(a).map50());
        for (SingleChangeDiagnosis.Group group : diagnosis) {
            System.out.printf(Locale.ROOT, "one change from the largest: %-42s inherited mean %.4f  min %.4f  max %.4f"
                    + "  (%d places)%n", group.change(), group.mean(), group.min(), group.max(), group.scores().size());
        }
        if (supernetOnly) {
            System.out.printf(Locale.ROOT, "supernet only: largest %.4f smallest %.4f (inherited val mAP@0.5), %.1f min "
                            + "of training; %s%n", evaluator.evaluate(trainer.ends().largest()).map50(),
                    evaluator.evaluate(trainer.ends().smallest()).map50(), supernetMinutes, checkpoint);
            return;
        }
        double[] inherited = new double[architectures.size()];
        double[] inheritedLoss = new double[architectures.size()];
        double[] alone = new double[architectures.size()];
        for (int i = 0; i < architectures.size(); i++) {
            SubnetScore score = evaluator.evaluate(architectures.get(i));
            inherited[i] = score.map50();
            inheritedLoss[i] = score.valLoss();
            alone[i] = standalone.get(architectures.get(i)).stream().mapToDouble(Standalone::bestValMap50).average()
                    .orElseThrow();
            System.out.printf(Locale.ROOT, "[%d/%d] %6.2f MMACs  inherited %.4f (val loss %.3f)  stand-alone %.4f  %s%n",
                    i + 1, architectures.size(), costModel.evaluate(architectures.get(i)).macs() / 1e6, inherited[i],
                    inheritedLoss[i], alone[i], architectures.get(i).shortName());
        }
        double[] negatedLoss = Arrays.stream(inheritedLoss).map(l -> -l).toArray();
        ObjectNode byLoss = JSON.createObjectNode();
        byLoss.put("kendall_tau_b", KendallTau.tauB(negatedLoss, alone));
        byLoss.set("kendall_tau_b_ci90", JSON.valueToTree(bootstrap(negatedLoss, alone, true, config.run().seed())));
        byLoss.put("spearman_rho", spearman(negatedLoss, alone));
        byLoss.put("top5_overlap", topOverlap(negatedLoss, alone, 5));
        System.out.printf(Locale.ROOT, "inherited val loss (lower ranks higher): Kendall tau-b %.3f [%.3f, %.3f]  "
                        + "Spearman rho %.3f  top-5 overlap %d%n", byLoss.get("kendall_tau_b").asDouble(),
                byLoss.get("kendall_tau_b_ci90").get(0).asDouble(), byLoss.get("kendall_tau_b_ci90").get(1).asDouble(),
                byLoss.get("spearman_rho").asDouble(), byLoss.get("top5_overlap").asInt());
        double largestInherited = evaluator.evaluate(trainer.ends().largest()).map50();
        double smallestInherited = evaluator.evaluate(trainer.ends().smallest()).map50();
        double tau = KendallTau.tauB(inherited, alone);
        double[] tauInterval = bootstrap(inherited, alone, true, config.run().seed());
        double rho = spearman(inherited, alone);
        double[] rhoInterval = bootstrap(inherited, alone, false, config.run().seed());
        int overlap = topOverlap(inherited, alone, 5);
        double spread = Arrays.stream(alone).max().orElse(0) - Arrays.stream(alone).min().orElse(0);
        SeedAgreement agreement = SeedAgreement.of(architectures.stream().map(a -> standalone.get(a).stream()
                .mapToDouble(Standalone::bestValMap50).toArray()).toList(), config.run().seed());
        if (agreement != null) {
            System.out.printf(Locale.ROOT, "stand-alone seeds agree: Kendall tau-b %.3f [%.3f, %.3f] between seeds 1 "
                            + "and 2; per-architecture std %.4f (mean), largest %.4f%n", agreement.tauB(),
                    agreement.tauBInterval()[0], agreement.tauBInterval()[1], agreement.meanStd(), agreement.maxStd());
        }
        ObjectNode proxies = JSON.createObjectNode();
        ArchitectureProxies.scores(architectures, costModel).forEach((name, scores) -> {
            ObjectNode proxy = proxies.putObject(name);
            proxy.put("kendall_tau_b", KendallTau.tauB(scores, alone));
            proxy.set("kendall_tau_b_ci90", JSON.valueToTree(bootstrap(scores, alone, true, config.run().seed())));
            System.out.printf(Locale.ROOT, "untrained proxy %s: Kendall tau-b %.3f%n", name,
                    proxy.get("kendall_tau_b").asDouble());
        });
        System.out.printf(Locale.ROOT, "Kendall tau-b %.3f [%.3f, %.3f]  Spearman rho %.3f [%.3f, %.3f]  top-5 "
                        + "overlap %d  stand-alone spread %.3f  largest %.4f smallest %.4f  supernet %.1f min%n", tau,
                tauInterval[0], tauInterval[1], rho, rhoInterval[0], rhoInterval[1], overlap, spread, largestInherited,
                smallestInherited, supernetMinutes);

        ArrayNode adapted = JSON.createArrayNode();
        for (String adaptation : adaptations) {
            Adaptation setting = Adaptation.parse(adaptation, supernetSettings.seed());
            boolean scratch = setting.scratch();
            int steps = setting.steps();
            double rate = setting.rate();
            String from = (scratch ? "from scratch" : "from inherited weights") + ", seed " + setting.seed();
            long adaptStart = System.nanoTime();
            double[] scores = new double[architectures.size()];
            SubnetEvaluator inheritedPath = new SubnetEvaluator(supernet.supernet(), data.train(), data.val(),
                    supernetSettings.recalibrationBatches(), supernetSettings.batchSize(), setting.seed());
            for (int i = 0; i < architectures.size(); i++) {
                SubnetEvaluator adapting = (scratch ? scratchEvaluator(cell, architectures.get(i), supernetSettings,
                        data, setting.seed()) : inheritedPath).withAdaptation(steps, rate);
                scores[i] = adapting.evaluate(architectures.get(i)).map50();
                System.out.printf(Locale.ROOT, "[%d/%d] after %d steps at %.4g %s: %.4f (inherited %.4f, "
                        + "stand-alone %.4f)%n", i + 1, architectures.size(), steps, rate, from, scores[i],
                        inherited[i], alone[i]);
            }
            double seconds = (System.nanoTime() - adaptStart) / 1e9;
            double adaptedTau = KendallTau.tauB(scores, alone);
            double[] adaptedInterval = bootstrap(scores, alone, true, config.run().seed());
            double adaptedRho = spearman(scores, alone);
            int adaptedOverlap = topOverlap(scores, alone, 5);
            ObjectNode row = adapted.addObject();
            row.put("from", scratch ? "scratch" : "inherited");
            row.put("steps", steps);
            row.put("learning_rate", rate);
            row.put("seed", setting.seed());
            row.put("kendall_tau_b", adaptedTau);
            row.set("kendall_tau_b_ci90", JSON.valueToTree(adaptedInterval));
            row.put("spearman_rho", adaptedRho);
            row.put("top5_overlap", adaptedOverlap);
            row.put("seconds_per_architecture", seconds / architectures.size());
            row.set("map50", JSON.valueToTree(scores));
            System.out.printf(Locale.ROOT, "after %d steps at %.4g %s: Kendall tau-b %.3f [%.3f, %.3f]  "
                            + "Spearman rho %.3f  top-5 overlap %d  %.1f s per architecture%n", steps, rate, from,
                    adaptedTau, adaptedInterval[0], adaptedInterval[1], adaptedRho, adaptedOverlap,
                    seconds / architectures.size());
        }

        ObjectNode searches = JSON.createObjectNode();
        ObjectNode searcherSummary = JSON.createObjectNode();
        int searchesMissing = 0;
        for (int seed = 1; seed <= seeds && !cachedOnly; seed++) {
            for (String searcher : searchers) {
                search(config, cell, costModel, evaluator, searcher, seed, budget,
                        searchFile(cache, supernetKey, searcher, seed, budget), false);
            }
        }
        for (int seed = 1; seed <= seeds && !cachedOnly; seed++) {
            for (String searcher : searchers) {
                Path searchFile = searchFile(cache, supernetKey, searcher, seed, budget);
                if (!Files.isRegularFile(searchFile)) {
                    continue;
                }
                Architecture best = ArchitectureJson.decode(JSON.readTree(searchFile.toFile())
                        .get("architecture").asText());
                for (Path record : imports) {
                    if (StandaloneImport.seed(record, List.of(best), cell, training, config.data().toString(),
                            cache) > 0) {
                        System.out.printf(Locale.ROOT, "%s seed %d: its best's stand-alone training imported "
                                + "from %s  %s%n", searcher, seed, record, best.shortName());
                    }
                }
                standalone(cell, training, best, data, cache, searcher + " seed " + seed + " ", Wait.FREE_ONLY);
            }
        }
        for (String searcher : SEARCHERS) {
            if (!searchers.contains(searcher)) {
                continue;
            }
            ArrayNode runs = searches.putArray(searcher);
            List<Double> bestInherited = new ArrayList<>();
            List<Double> bestStandalone = new ArrayList<>();
            for (int seed = 1; seed <= seeds; seed++) {
                Path searchFile = searchFile(cache, supernetKey, searcher, seed, budget);
                if (cachedOnly && !Files.isRegularFile(searchFile)) {
                    searchesMissing++;
                    continue;
                }
                JsonNode found = search(config, cell, costModel, evaluator, searcher, seed, budget, searchFile, true);
                Architecture best = ArchitectureJson.decode(found.get("architecture").asText());
                Standalone trained = standalone(cell, training, best, data, cache, searcher + " seed " + seed + " ",
                        cachedOnly ? Wait.CACHED_ONLY : Wait.AWAIT);
                if (trained == null) {
                    searchesMissing++;
                    continue;
                }
                bestInherited.add(found.get("best_inherited_map50").asDouble());
                bestStandalone.add(trained.bestValMap50());
                ObjectNode run = runs.addObject();
                run.put("seed", seed);
                run.put("best_inherited_map50", found.get("best_inherited_map50").asDouble());
                run.put("best_standalone_map50", trained.bestValMap50());
                run.put("architecture", best.shortName());
                System.out.printf(Locale.ROOT, "%s seed %d: best inherited %.4f, stand-alone %.4f  %s%n", searcher,
                        seed, found.get("best_inherited_map50").asDouble(), trained.bestValMap50(), best.shortName());
            }
            ObjectNode summary = searcherSummary.putObject(searcher);
            summary.put("runs", bestStandalone.size());
            for (String field : List.of("best_inherited_map50_mean", "best_inherited_map50_std",
                    "best_standalone_map50_mean", "best_standalone_map50_std")) {
                List<Double> values = field.startsWith("best_inherited") ? bestInherited : bestStandalone;
                double figure = field.endsWith("_mean") ? BenchRecords.mean(values) : BenchRecords.std(values);
                if (values.isEmpty()) {
                    summary.putNull(field);
                } else {
                    summary.put(field, figure);
                }
            }
            System.out.printf(Locale.ROOT, "%s over %d seeds: best inherited %.4f ± %.4f, its stand-alone %.4f ± %.4f%n",
                    searcher, bestStandalone.size(), BenchRecords.mean(bestInherited), BenchRecords.std(bestInherited),
                    BenchRecords.mean(bestStandalone), BenchRecords.std(bestStandalone));
        }

        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "supernet-rank");
        root.put("command", "bench/supernet-search-rank.sh " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
        root.put("date", Instant.now().toString());
        root.put("git_revision", BenchRecords.gitRevision());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("cell", resolution + " px x " + width);
        parameters.put("target", config.target().name());
        parameters.put("latency_budget_ms", config.target().latencyBudgetMs());
        parameters.put("data", config.data().toString());
        parameters.put("standalone_training", training.toString());
        parameters.put("standalone_seeds", standaloneSeeds);
        parameters.put("standalone_imported_from", imports.toString());
        parameters.put("supernet", supernetSettings.toString());
        parameters.put("supernet_spark_master", spark.sparkContext().master());
        parameters.put("supernet_shards", shards);
        parameters.put("search_budget", budget);
        parameters.put("search_seeds", seeds);
        parameters.put("searchers", String.join(",", searchers));
        ArrayNode rows = root.putArray("architectures");
        for (int i = 0; i < architectures.size(); i++) {
            ObjectNode row = rows.addObject();
            Costs costs = costModel.evaluate(architectures.get(i));
            row.put("architecture", architectures.get(i).shortName());
            row.put("mmacs", costs.macs() / 1e6);
            row.put("latency_ms", costs.latencyMs());
            row.put("inherited_map50", inherited[i]);
            row.put("inherited_val_loss", inheritedLoss[i]);
            row.put("standalone_map50", alone[i]);
            ArrayNode perSeed = row.putArray("standalone_map50_per_seed");
            standalone.get(architectures.get(i)).forEach(t -> perSeed.add(t.bestValMap50()));
            row.put("standalone_seconds", standalone.get(architectures.get(i)).get(0).seconds());
        }
        root.put("kendall_tau_b", tau);
        root.set("kendall_tau_b_ci90", JSON.valueToTree(tauInterval));
        root.put("spearman_rho", rho);
        root.set("spearman_rho_ci90", JSON.valueToTree(rhoInterval));
        root.put("top5_overlap", overlap);
        root.put("standalone_map50_spread", spread);
        root.set("inherited_val_loss", byLoss);
        root.set("untrained_proxies", proxies);
        if (agreement != null) {
            root.put("standalone_seed_kendall_tau_b", agreement.tauB());
            root.set("standalone_seed_kendall_tau_b_ci90", JSON.valueToTree(agreement.tauBInterval()));
            root.put("standalone_seed_std_mean", agreement.meanStd());
            root.put("standalone_seed_std_max", agreement.maxStd());
        }
        root.put("largest_inherited_map50", largestInherited);
        root.put("smallest_inherited_map50", smallestInherited);
        root.put("largest", trainer.ends().largest().shortName());
        root.put("smallest", trainer.ends().smallest().shortName());
        root.put("supernet_training_minutes", supernetMinutes);
        ArrayNode changes = root.putArray("single_changes_from_largest");
        for (SingleChangeDiagnosis.Group group : diagnosis) {
            ObjectNode change = changes.addObject();
            change.put("change", group.change());
            change.put("places", group.scores().size());
            change.put("inherited_map50_mean", group.mean());
            change.put("inherited_map50_min", group.min());
            change.put("inherited_map50_max", group.max());
        }
        root.set("adapted", adapted);
        root.put("partial", architectures.size() < planned || searchesMissing > 0);
        root.put("architectures_planned", planned);
        root.set("searchers", searches);
        root.set("searcher_summary", searcherSummary);
        root.put("seconds_this_session", (System.nanoTime() - start) / 1e9);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        System.out.println("wrote " + out);
    }

    /**
     * {@code count} distinct architectures that fit, at evenly spaced MAC quantiles of 4,000 seeded random samples
     * that fit (both ends included).
     */
    static List<Architecture> pick(SearchSpace cell, CostModel costModel, int count, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "rank-benchmark"));
        LinkedHashSet<Architecture> feasible = new LinkedHashSet<>();
        for (int i = 0; i < 200_000 && feasible.size() < 4000; i++) {
            Architecture sample = cell.sample(random);
            if (costModel.evaluate(sample).feasible()) {
                feasible.add(sample);
            }
        }
        List<Architecture> sorted = feasible.stream()
                .sorted(Comparator.comparingLong((Architecture a) -> costModel.evaluate(a).macs())
                        .thenComparing(Architecture::shortName)).toList();
        List<Architecture> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(sorted.get((int) Math.round(i * (sorted.size() - 1.0) / (count - 1))));
        }
        return picked;
    }

    /** A stand-alone training of {@code architecture}, from the cache or trained now and cached. */
    private static Standalone standalone(SearchSpace cell, TrainingSettings training, Architecture architecture,
                                         DetectionDataset data, Path cache, String prefix) throws IOException {
        return standalone(cell, training, architecture, data, cache, prefix, Wait.AWAIT);
    }

    /** What a unit that is not cached asks of this process. */
    private enum Wait {
        /** Return null: only cached results are wanted. */
        CACHED_ONLY,
        /** Train it unless another process on the same cache has claimed it (then return null). */
        FREE_ONLY,
        /** Train it, or wait for the process that has claimed it. */
        AWAIT
    }

    /**
     * As above; what is not cached is trained, awaited or skipped as {@code wait} says. Processes started on the same
     * cache share the trainings through claim files ({@link UnitClaim}).
     */
    private static Standalone standalone(SearchSpace cell, TrainingSettings training, Architecture architecture,
                                         DetectionDataset data, Path cache, String prefix, Wait wait)
            throws IOException {
        Path file = standaloneFile(cache, cell, training, architecture);
        while (true) {
            if (Files.isRegularFile(file)) {
                return cachedStandalone(file, architecture, prefix);
            }
            if (wait == Wait.CACHED_ONLY) {
                return null;
            }
            java.util.Optional<UnitClaim> claim = UnitClaim.tryClaim(file);
            if (claim.isPresent()) {
                try (UnitClaim held = claim.get()) {
                    return trainStandalone(cell, training, architecture, data, cache, prefix, file);
                }
            }
            if (wait == Wait.FREE_ONLY) {
                return null;
            }
            UnitClaim.awaitOther(prefix + "stand-alone training " + architecture.shortName(), file);
        }
    }

    private static Standalone cachedStandalone(Path file, Architecture architecture, String prefix)
            throws IOException {
        JsonNode node = JSON.readTree(file.toFile());
        System.out.printf(Locale.ROOT, "%sstand-alone (%s) best val mAP@0.5 %.4f  %s%n", prefix,
                node.has("imported_from") ? "from " + node.get("imported_from").asText() : "cached",
                node.get("best_val_map50").asDouble(), architecture.shortName());
        return new Standalone(node.get("best_val_map50").asDouble(),
                node.path("final_val_map50").asDouble(Double.NaN), node.path("epochs").asInt(-1),
                node.path("seconds").asDouble(Double.NaN));
    }

    private static Standalone trainStandalone(SearchSpace cell, TrainingSettings training, Architecture architecture,
                                              DetectionDataset data, Path cache, String prefix, Path file)
            throws IOException {
        System.out.println(prefix + "stand-alone training " + architecture.shortName());
        TrainingResult result = new DetectorTrainer(cell.head(), training, null, line -> System.out.println(prefix
                + line)).train(new io.sparknas.cost.ArchitectureLowering(cell).lower(architecture), data.train(),
                data.val()).result();
        double last = result.history().get(result.history().size() - 1).valMap50();
        ObjectNode node = JSON.createObjectNode();
        node.put("architecture", ArchitectureJson.encode(architecture));
        node.put("training", training.toString());
        node.put("best_val_map50", result.bestValMap50());
        node.put("final_val_map50", last);
        node.put("epochs", result.epochsRun());
        node.put("seconds", result.seconds());
        Path staged = cache.resolve(file.getFileName() + ".tmp");
        Files.writeString(staged, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        Files.move(staged, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Standalone(result.bestValMap50(), last, result.epochsRun(), result.seconds());
    }

    /**
     * An evaluator whose "supernet" holds only {@code architecture}'s freshly initialised weights (as a stand-alone
     * training starts), for the control of {@code --adapt-scratch}: the same adaptation steps without the
     * supernet's training.
     */
    private static SubnetEvaluator scratchEvaluator(SearchSpace cell, Architecture architecture,
                                                    SupernetSettings settings, DetectionDataset data, long seed) {
        Supernet holder = Supernet.initialize(cell, seed, new org.nd4j.linalg.learning.config.NoOp(),
                settings.weightSharing());
        holder.writeBack(architecture, io.sparknas.net.DetectorNetworkBuilder.build(
                new io.sparknas.cost.ArchitectureLowering(cell).lower(architecture), cell.head(), seed,
                new org.nd4j.linalg.learning.config.NoOp(), 0));
        return new SubnetEvaluator(holder, data.train(), data.val(), settings.recalibrationBatches(),
                settings.batchSize(), seed);
    }

    /**
     * One {@code --adapt} / {@code --adapt-scratch} setting, {@code STEPS[@RATE][,seed=N]}: from scratch or from the
     * inherited weights, that many steps at that rate, with that seed for the batch order (and the fresh weights).
     */
    record Adaptation(boolean scratch, int steps, double rate, long seed) {

        static Adaptation parse(String argument, long defaultSeed) {
            boolean scratch = argument.startsWith("scratch:");
            String text = argument.substring(scratch ? "scratch:".length() : 0);
            String option = scratch ? "--adapt-scratch" : "--adapt";
            try {
                long seed = defaultSeed;
                if (text.contains(",")) {
                    String extra = text.substring(text.indexOf(',') + 1);
                    if (!extra.startsWith("seed=")) {
                        throw new IllegalArgumentException("expected ',seed=N' after the steps, got ',"
                                + extra + "'");
                    }
                    seed = Long.parseLong(extra.substring("seed=".length()));
                    text = text.substring(0, text.indexOf(','));
                }
                int steps = Integer.parseInt(text.split("@")[0]);
                double rate = text.contains("@") ? Double.parseDouble(text.split("@")[1]) : 0.001;
                if (steps < 1 || !(rate > 0)) {
                    throw new IllegalArgumentException("steps must be >= 1 and the rate > 0");
                }
                return new Adaptation(scratch, steps, rate, seed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " " + text + ": expected STEPS[@RATE][,seed=N]", e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + argument.substring(scratch ? 8 : 0) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * The supernet settings as they enter the cache key: uniform member conv types and ends on every step are left
     * out, so the supernets and searches cached before {@code supernet.member-types}, {@code supernet.smallest-every}
     * and {@code supernet.largest-every} existed keep their keys.
     */
    static String settingsKey(SupernetSettings settings) {
        String text = settings.toString();
        if (settings.largestEvery() == 1) {
            text = text.replace(", largestEvery=1", "");
        }
        if (settings.smallestEvery() == 1) {
            text = text.replace(", smallestEvery=1", "");
        }
        return settings.memberTypes() == MemberConvTypes.UNIFORM
                ? text.replace(", memberTypes=" + MemberConvTypes.UNIFORM, "") : text;
    }

    /** The cache file of one search: by supernet, searcher, seed and budget. */
    private static Path searchFile(Path cache, String supernetKey, String searcher, int seed, int budget) {
        return cache.resolve("search-" + supernetKey + "-" + searcher + "-" + seed + "-" + budget + ".json");
    }

    /** The cache file of one stand-alone training: by architecture, training settings (seed included) and head. */
    static Path standaloneFile(Path cache, SearchSpace cell, TrainingSettings training, Architecture architecture) {
        String key = BenchRecords.fingerprint(ArchitectureJson.encode(architecture) + "|" + training + "|" + cell.head());
        return cache.resolve("standalone-" + key + ".json");
    }

    /** One search scored by inherited weights in this JVM, from the cache or run now and cached. */
    private static JsonNode search(SparkNasConfig config, SearchSpace cell, CostModel costModel,
                                   SubnetEvaluator evaluator, String searcher, int seed, int budget, Path file,
                                   boolean await) throws IOException {
        while (true) {
            if (Files.isRegularFile(file)) {
                return JSON.readTree(file.toFile());
            }
            java.util.Optional<UnitClaim> claim = UnitClaim.tryClaim(file);
            if (claim.isPresent()) {
                try (UnitClaim held = claim.get()) {
                    return runSearch(config, cell, costModel, evaluator, searcher, seed, budget, file);
                }
            }
            if (!await) {
                return null;
            }
            UnitClaim.awaitOther(searcher + " search, seed " + seed, file);
        }
    }

    private static JsonNode runSearch(SparkNasConfig config, SearchSpace cell, CostModel costModel,
                                      SubnetEvaluator evaluator, String searcher, int seed, int budget, Path file)
            throws IOException {
        SearchSettings base = config.search();
        SearchSettings settings = new SearchSettings(SearchMode.fromText(searcher), base.objective(),
                base.population(), base.generations(), base.offspringFraction(), base.crossoverRate(),
                base.mutationRate(), base.tournamentSize(), 0, 0, 1, base.sampleAttempts(), base.breedingAttempts(),
                false);
        CandidateLedger ledger = new CandidateLedger("rank", (generation, rows) -> { }, costModel, (requests, job) -> {
            Map<String, CandidateScore> scores = new HashMap<>();
            for (var request : requests) {
                double map = evaluator.evaluate(request.architecture()).map50();
                scores.put(request.candidateId(), new CandidateScore(request.candidateId(), map, map, 0, "local", 0));
            }
            return scores;
        }, 0, "inherited");
        @SuppressWarnings("unchecked")
        SearchObjective<Double> objective = (SearchObjective<Double>) SearchObjective.of(settings.objective());
        Evolution<Double> evolution = new Evolution<>(settings, objective, new GeneCodec(cell), ledger);
        long searchSeed = Seeds.derive(seed, "search");
        ISeq<Phenotype<IntegerGene, Double>> population = evolution.initial(
                new SplittableRandom(Seeds.derive(searchSeed, "initial", 0))).population();
        ledger.commit(0);
        for (int g = 1; ledger.feasibleScored().size() < budget; g++) {
            population = evolution.next(population, g, new SplittableRandom(Seeds.derive(searchSeed, "generation", g)),
                    List.of()).population();
            ledger.commit(g);
        }
        CandidateRow best = ledger.feasibleScored().stream().limit(budget).max(Comparator.comparingDouble(
                CandidateRow::map50)).orElseThrow();
        ObjectNode node = JSON.createObjectNode();
        node.put("architecture", ArchitectureJson.encode(best.architecture()));
        node.put("best_inherited_map50", best.map50());
        node.put("scored", ledger.feasibleScored().size());
        Path staged = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(staged, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        Files.move(staged, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return node;
    }

    /**
     * How well stand-alone trainings of the same architectures with different seeds agree: Kendall τ-b between the
     * first two seeds' scores (with its bootstrap interval) and the per-architecture sample standard deviation over
     * all seeds. Null with fewer than two seeds.
     */
    record SeedAgreement(double tauB, double[] tauBInterval, double meanStd, double maxStd) {

        static SeedAgreement of(List<double[]> scoresPerArchitecture, long seed) {
            if (scoresPerArchitecture.isEmpty() || scoresPerArchitecture.stream().anyMatch(s -> s.length < 2)) {
                return null;
            }
            double[] first = scoresPerArchitecture.stream().mapToDouble(s -> s[0]).toArray();
            double[] second = scoresPerArchitecture.stream().mapToDouble(s -> s[1]).toArray();
            double[] stds = scoresPerArchitecture.stream().mapToDouble(SeedAgreement::sampleStd).toArray();
            return new SeedAgreement(KendallTau.tauB(first, second), bootstrap(first, second, true, seed),
                    Arrays.stream(stds).average().orElseThrow(), Arrays.stream(stds).max().orElseThrow());
        }

        private static double sampleStd(double[] values) {
            double mean = Arrays.stream(values).average().orElseThrow();
            double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
            return Math.sqrt(squares / (values.length - 1));
        }
    }

    /** A 90 % percentile bootstrap interval of Kendall τ-b (or Spearman ρ), resampling architectures. */
    static double[] bootstrap(double[] x, double[] y, boolean kendall, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "bootstrap"));
        double[] values = new double[2000];
        int n = x.length;
        for (int r = 0; r < values.length; r++) {
            double[] bx = new double[n];
            double[] by = new double[n];
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                bx[i] = x[j];
                by[i] = y[j];
            }
            double v = kendall ? KendallTau.tauB(bx, by) : spearman(bx, by);
            values[r] = Double.isNaN(v) ? 0 : v;
        }
        Arrays.sort(values);
        return new double[] {values[(int) (0.05 * values.length)], values[(int) (0.95 * values.length) - 1]};
    }

    /** {@code --searchers}: a comma-separated subset of ga, aging and random, in the order their free units are run. */
    static List<String> searcherOrder(String text) {
        List<String> order = List.of(text.split(","));
        for (String searcher : order) {
            if (!List.of(SEARCHERS).contains(searcher)) {
                throw new IllegalArgumentException("--searchers " + text + ": unknown searcher '" + searcher
                        + "' (expected ga, aging or random)");
            }
        }
        return order;
    }

    /** Spearman's ρ: Pearson's correlation of the ranks (ties get their mean rank). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0);
        double my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** How many of the top {@code k} by {@code x} are among the top {@code k} by {@code y}. */
    static int topOverlap(double[] x, double[] y, int k) {
        List<Integer> byX = topIndices(x, k);
        List<Integer> byY = topIndices(y, k);
        return (int) byX.stream().filter(byY::contains).count();
    }

    private static List<Integer> topIndices(double[] values, int k) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            indices.add(i);
        }
        indices.sort(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        return indices.subList(0, Math.min(k, indices.size()));
    }
}
