package io.sparknas.cli;

import io.sparknas.config.ConfigurationException;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.spark.SparkSessions;
import io.sparknas.sweep.LocalSweep;
import io.sparknas.sweep.PlannedRun;
import io.sparknas.sweep.PointOutcome;
import io.sparknas.sweep.SearchArguments;
import io.sparknas.sweep.SparkApplications;
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
                + "folder; a point whose run already exists is skipped, so a crashed sweep is simply run again. "
                + "With --emit k8s DIR nothing runs: one Spark-operator SparkApplication per point is written to DIR.",
                "",
                "Example: sparknas sweep --spec examples/sweep.conf --supernet runs/supernet/supernet.ckpt",
                "         sparknas sweep --spec examples/sweep.conf --emit k8s k8s/ --image registry/sparknas:0.1.0"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--spec", paramLabel = "FILE", required = true, description = "The sweep spec (HOCON).")
    Path specFile;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder of every run (default: "
            + "run.output-dir locally, " + KUBERNETES_OUTPUT + " in emitted manifests).")
    String output;

    @Option(names = "--supernet", paramLabel = "FILE",
            description = "A trained supernet checkpoint passed to every search (a path the cluster sees, for --emit).")
    String supernet;

    @Option(names = "--emit", arity = "2", paramLabel = "KIND DIR",
            description = "Write manifests instead of running: 'k8s DIR' writes one SparkApplication YAML per point.")
    List<String> emit;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Container image of emitted manifests (default: "
            + SparkApplications.DEFAULT_IMAGE + ").")
    String image = SparkApplications.DEFAULT_IMAGE;

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
        SweepSpec sweep = SweepSpec.load(specFile);
        boolean kubernetes = emit != null;
        SearchArguments arguments = new SearchArguments(
                common.configFile == null ? null : common.configFile.toString(), common.overrides, common.strict,
                common.verbose, supernet, kubernetes && output == null ? KUBERNETES_OUTPUT : output);
        List<PlannedRun> plan = new ArrayList<>();
        SparkNasConfig first = null;
        for (SweepPoint point : sweep.points()) {
            List<String> args = arguments.forPoint(point, sweep.set());
            SparkNasConfig config = validate(sweep, point, args);
            first = first == null ? config : first;
            plan.add(new PlannedRun(point, args, (output != null ? output : config.run().outputDir()) + "/"
                    + point.runId()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("sweep %s: %d point(s) = %d target(s) x %d latency budget(s) x %d seed(s)%n", sweep.name(),
                plan.size(), sweep.targets().size(), sweep.latencyMs().size(), sweep.seeds().size());
        if (dryRun) {
            plan.forEach(run -> out.println("sparknas " + String.join(" ", run.arguments())));
            out.flush();
            return 0;
        }
        return kubernetes ? emit(sweep, plan, Path.of(emit.get(1)), out) : runLocally(plan, first, out);
    }

    private int emit(SweepSpec sweep, List<PlannedRun> plan, Path dir, PrintWriter out) {
        for (PlannedRun run : plan) {
            Path file = SparkApplications.write(dir, SparkApplications.manifest(sweep.name(), run.point(),
                    run.arguments(), image));
            out.println("wrote " + file);
        }
        out.printf("%d SparkApplication manifest(s) in %s (image %s, results in %s); submit them with:%n  kubectl "
                + "apply -f %s%n", plan.size(), dir, image, output != null ? output : KUBERNETES_OUTPUT, dir);
        out.flush();
        return 0;
    }

    private int runLocally(List<PlannedRun> plan, SparkNasConfig config, PrintWriter out) {
        PrintWriter err = spec.commandLine().getErr();
        LocalSweep sweep = new LocalSweep(SparkSessions.create(config.spark()),
                args -> SparkNas.execute(out, err, args.toArray(String[]::new)), out);
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

    /** Parses a point's arguments as 'sparknas search' would and loads its configuration, before anything runs. */
    private static SparkNasConfig validate(SweepSpec sweep, SweepPoint point, List<String> args) {
        try {
            CommandLine.ParseResult parsed = new CommandLine(new SparkNas()).parseArgs(args.toArray(String[]::new));
            SearchCommand search = parsed.subcommand().commandSpec().commandLine().getCommand();
            return search.common.load();
        } catch (CommandLine.ParameterException | ConfigurationException e) {
            throw new ConfigurationException("sweep spec " + sweep.file() + ", point " + point.runId() + ": "
                    + e.getMessage(), e);
        }
    }
}
