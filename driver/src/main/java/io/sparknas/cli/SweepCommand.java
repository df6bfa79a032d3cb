package io.sparknas.cli;

import io.sparknas.config.ConfigurationException;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.spark.SparkSessions;
import io.sparknas.sweep.LocalSweep;
import io.sparknas.sweep.PlannedRun;
import io.sparknas.sweep.PointOutcome;
import io.sparknas.sweep.SearchArguments;
import io.sparknas.sweep.SparkApplicationTemplate;
import io.sparknas.sweep.SweepPoint;
import io.sparknas.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas sweep}: one search per (target, latency budget, seed) of a sweep spec, locally or on Kubernetes. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run one 'sparknas search' per point of a sweep spec (targets x latency-ms x seeds, HOCON, "
                + "see README), with run ids <name>-<target>-lat<ms>-s<seed>. Every point's configuration is "
                + "validated before the first run. Locally the points run one after another into one results "
                + "folder; a point whose run is finished is skipped and an unfinished one resumed, so a crashed sweep "
                + "is simply run again. "
                + "With --emit k8s DIR nothing runs: one Spark-operator SparkApplication per point is written to DIR, "
                + "a copy of the template (k8s/base/search-application.yaml, or --template) with the point's name "
                + "and arguments.",
                "",
                "Examples:",
                "  sparknas sweep --spec sweep.conf --supernet runs/supernet/supernet.ckpt",
                "  sparknas sweep --spec sweep.conf --emit k8s out/ --image reg/sparknas:1",
                "  kubectl kustomize k8s/overlays/prod > prod.yaml",
                "  sparknas sweep --spec sweep.conf --emit k8s out/ --template prod.yaml"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--spec", paramLabel = "FILE", required = true, description = "The sweep spec (HOCON).")
    Path specFile;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder of every run (default: "
            + "run.output-dir locally; the template's --output, else " + KUBERNETES_OUTPUT + ", in emitted manifests).")
    String output;

    @Option(names = "--supernet", paramLabel = "FILE",
            description = "A trained supernet checkpoint passed to every search (a path the cluster sees, for --emit).")
    String supernet;

    @Option(names = "--emit", arity = "2", paramLabel = "k8s DIR", hideParamSyntax = true,
            description = "Write manifests instead of running: 'k8s DIR' writes one SparkApplication YAML per point.")
    List<String> emit;

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Container image of emitted manifests (default: the template's).")
    String image;

    @Option(names = "--template", paramLabel = "FILE", description = "SparkApplication YAML whose copies --emit "
            + "writes, e.g. a rendered overlay (kubectl kustomize k8s/overlays/prod); its search options (--config, "
            + "--output, --supernet, --set) are kept (default: k8s/base/search-application.yaml).")
    Path template;

    @Option(names = "--tag", paramLabel = "TEXT", defaultValue = "${env:SPARKNAS_SWEEP_TAG}",
            description = "Appended to sweep.name in every run id, so that a repeated sweep writes new runs "
                    + "(default: $SPARKNAS_SWEEP_TAG, which a scheduled sweep on Kubernetes sets to its application's "
                    + "name: a retry of the same application skips the points it finished and resumes the rest).")
    String tag;

    @Option(names = "--dry-run", description = "Validate and print each point's search command; run and write nothing.")
    boolean dryRun;

    /** Where emitted runs write their results when --output is not given. */
    static final String KUBERNETES_OUTPUT = "/results";

    @Override
    public Integer call() {
        if (common.target != null) {
            throw new UserInputException("--target: a sweep's targets come from sweep.targets in " + specFile);
        }
        for (String override : common.overrides) {
            String key = override.contains("=") ? override.substring(0, override.indexOf('=')).trim() : override;
            if (SweepSpec.POINT_KEYS.contains(key)) {
                throw new UserInputException("--set " + override + ": each point of the sweep sets " + key
                        + " itself (sweep.targets, sweep.latency-ms, sweep.seeds in " + specFile + ")");
            }
        }
        if (emit != null && !emit.get(0).equals("k8s")) {
            throw new UserInputException("--emit " + emit.get(0) + ": unknown kind; supported: k8s");
        }
        boolean kubernetes = emit != null;
        if (!kubernetes && (template != null || image != null)) {
            throw new UserInputException((template != null ? "--template" : "--image") + " applies to --emit k8s only");
        }
        if (kubernetes && common.configFile != null) {
            throw new UserInputException("--config " + common.configFile + ": emitted runs read the sparknas-conf "
                    + "ConfigMap (conf/, mounted at /opt/sparknas/conf); change conf/ and apply the overlay again, or "
                    + "use --set");
        }
        SweepSpec sweep = SweepSpec.load(specFile);
        if (tag != null && !tag.isBlank()) {
            sweep = sweep.tagged(tag.trim());
        }
        SparkApplicationTemplate application = kubernetes
                ? (template != null ? SparkApplicationTemplate.read(template) : SparkApplicationTemplate.bundled())
                : null;
        SearchArguments arguments = kubernetes ? kubernetesArguments(application) : new SearchArguments(
                common.configFile == null ? null : common.configFile.toString(), common.overrides, common.strict,
                common.verbose, supernet, output);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PlannedRun> plan = new ArrayList<>();
        for (SweepPoint point : sweep.points()) {
            List<String> args = arguments.forPoint(point, sweep.set());
            ParsedCommand parsed = parse(sweep, point, kubernetes ? withoutConfigFile(args) : args);
            SparkNasConfig config = configuration(sweep, point, parsed);
            plan.add(new PlannedRun(point, args, arguments.output() != null ? arguments.output()
                    : config.run().outputDir(), config, kubernetes ? null : resume -> {
                        if (resume) {
                            ((SearchCommand) parsed.command()).resumeInsteadOfCreating();
                        }
                        return parsed.run(out, err);
                    }));
        }
        out.printf("sweep %s: %d point(s) = %d target(s) x %d latency budget(s) x %d seed(s)%n", sweep.name(),
                plan.size(), sweep.targets().size(), sweep.latencyMs().size(), sweep.seeds().size());
        if (dryRun) {
            plan.forEach(run -> out.println("sparknas " + String.join(" ", run.arguments())));
            out.flush();
            return 0;
        }
        return kubernetes ? emit(sweep, application, plan, arguments.output(), Path.of(emit.get(1)), out)
                : runLocally(plan, out, err);
    }

    /**
     * The options of emitted runs: the template's search options, overridden by this command's; the configuration
     * file is the template's (a path in the pod), never a local one.
     */
    private SearchArguments kubernetesArguments(SparkApplicationTemplate application) {
        List<String> overrides = new ArrayList<>(application.overrides());
        overrides.addAll(common.overrides);
        return new SearchArguments(application.option("--config").orElse(null), overrides,
                common.strict || application.hasFlag("--strict"), common.verbose || application.hasFlag("--verbose"),
                supernet != null ? supernet : application.option("--supernet").orElse(null),
                output != null ? output : application.option("--output").orElse(KUBERNETES_OUTPUT));
    }

    /** The arguments without {@code --config FILE}: a file in the pod, checked here as the defaults it mounts. */
    private static List<String> withoutConfigFile(List<String> args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config")) {
                i++;
            } else {
                kept.add(args.get(i));
            }
        }
        return kept;
    }

    private int emit(SweepSpec sweep, SparkApplicationTemplate application, List<PlannedRun> plan, String results,
                     Path dir, PrintWriter out) {
        for (PlannedRun run : plan) {
            Path file = SparkApplicationTemplate.write(dir, application.manifest(sweep.name(), run.point(),
                    run.arguments(), image));
            out.println("wrote " + file);
        }
        out.printf("%d SparkApplication manifest(s) in %s (template %s, image %s, results in %s); submit them "
                + "with:%n  kubectl apply -f %s%n", plan.size(), dir, application.origin(),
                image != null ? image : application.image(), results, dir);
        out.flush();
        return 0;
    }

    private int runLocally(List<PlannedRun> plan, PrintWriter out, PrintWriter err) {
        LocalSweep sweep = new LocalSweep(SparkSessions.create(plan.get(0).config().spark()), out);
        List<PointOutcome> outcomes = sweep.run(plan);
        out.println();
        LocalSweep.printSummary(out, outcomes);
        List<String> failed = outcomes.stream().filter(o -> o.status() == PointOutcome.Status.FAILED)
                .map(o -> o.point().runId()).toList();
        if (!failed.isEmpty()) {
            err.printf(Locale.ROOT, "sparknas: failed: %d of %d point(s): %s%n", failed.size(), outcomes.size(),
                    String.join(", ", failed));
            err.flush();
            return SparkNas.FAILED;
        }
        return 0;
    }

    /** Parses a point's arguments as 'sparknas search' would, once: what is checked here is what runs. */
    private static ParsedCommand parse(SweepSpec sweep, SweepPoint point, List<String> args) {
        try {
            return ParsedCommand.parse(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw invalid(sweep, point, e);
        }
    }

    /** Loads a point's configuration before anything runs. */
    private static SparkNasConfig configuration(SweepSpec sweep, SweepPoint point, ParsedCommand parsed) {
        try {
            return parsed.configuration();
        } catch (ConfigurationException e) {
            throw invalid(sweep, point, e);
        }
    }

    private static ConfigurationException invalid(SweepSpec sweep, SweepPoint point, RuntimeException e) {
        return new ConfigurationException("sweep spec " + sweep.file() + ", point " + point.runId() + ": "
                + e.getMessage(), e);
    }
}
