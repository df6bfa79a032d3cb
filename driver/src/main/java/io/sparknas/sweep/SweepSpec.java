package io.sparknas.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.ConfigurationException;
import io.sparknas.run.RunIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sweep: searches over every (target, latency budget, seed), read from the {@code sweep} block of a HOCON file.
 * {@code set} holds configuration overrides applied to every point, as {@code key -> HOCON value} in key order.
 *
 * @param file where the spec came from, for messages
 */
public record SweepSpec(Path file, String name, List<String> targets, List<Double> latencyMs, List<Long> seeds,
                        Map<String, String> set) {

    /** The keys each point sets itself, so {@code set} and {@code --set} must leave them alone. */
    public static final Set<String> POINT_KEYS = Set.of("target", "budgets.latency-ms", "run.seed");

    private static final Set<String> KEYS = Set.of("name", "targets", "latency-ms", "seeds", "set");

    public SweepSpec {
        targets = List.copyOf(targets);
        latencyMs = List.copyOf(latencyMs);
        seeds = List.copyOf(seeds);
        set = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    /** Reads and checks a spec file; every problem is one {@link ConfigurationException} naming the file and key. */
    public static SweepSpec load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("sweep spec not found: " + file);
        }
        Config root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .resolve();
        } catch (ConfigException e) {
            throw new ConfigurationException("sweep spec " + file + ": " + e.getMessage(), e);
        }
        for (String key : root.root().keySet()) {
            if (!key.equals("sweep")) {
                throw error(file, root.root().get(key), key, "unknown key; a sweep spec has one block, 'sweep'");
            }
        }
        Config sweep = read(file, root, "sweep", "sweep", () -> root.getConfig("sweep"),
                "a block with name, targets, latency-ms, seeds and an optional set");
        for (String key : sweep.root().keySet()) {
            if (!KEYS.contains(key)) {
                throw error(file, sweep.root().get(key), "sweep." + key, "unknown key; known: "
                        + KEYS.stream().sorted().toList());
            }
        }
        String name = read(file, sweep, "name", "sweep.name", () -> sweep.getString("name"), "a string");
        try {
            RunIds.validate(name);
        } catch (IllegalArgumentException e) {
            throw error(file, sweep.getValue("name"), "sweep.name", "the prefix of every run id: " + e.getMessage());
        }
        List<String> targets = nonEmpty(file, sweep, "targets",
                read(file, sweep, "targets", "sweep.targets", () -> sweep.getStringList("targets"),
                        "a list of target names or paths"));
        List<Double> latencies = nonEmpty(file, sweep, "latency-ms",
                read(file, sweep, "latency-ms", "sweep.latency-ms", () -> sweep.getDoubleList("latency-ms"),
                        "a list of numbers"));
        for (double latency : latencies) {
            if (!(latency >= 0 && latency <= 1e9)) {
                throw error(file, sweep.getValue("latency-ms"), "sweep.latency-ms",
                        SweepPoint.plain(latency) + " is outside [0, 1e9] (0: no latency budget)");
            }
        }
        List<Long> seeds = nonEmpty(file, sweep, "seeds",
                read(file, sweep, "seeds", "sweep.seeds", () -> sweep.getLongList("seeds"), "a list of integers"));
        Map<String, String> set = sweep.hasPath("set")
                ? overrides(file, read(file, sweep, "set", "sweep.set", () -> sweep.getConfig("set"),
                        "an object of configuration keys and values"))
                : Map.of();
        SweepSpec spec = new SweepSpec(file, name, targets, latencies, seeds, set);
        spec.checkRunIds(sweep);
        return spec;
    }

    /**
     * This sweep with {@code tag} appended to its name, so that its run ids are new ones: a scheduled sweep tags
     * each of its runs with the name of the application that runs it.
     */
    public SweepSpec tagged(String tag) {
        SweepSpec tagged = new SweepSpec(file, name + "-" + tag, targets, latencyMs, seeds, set);
        for (SweepPoint point : tagged.points()) {
            try {
                RunIds.validate(point.runId());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("--tag " + tag + ": " + e.getMessage(), e);
            }
        }
        return tagged;
    }

    /** Every point, targets × latency budgets × seeds in that order. */
    public List<SweepPoint> points() {
        List<SweepPoint> points = new ArrayList<>();
        for (String target : targets) {
            for (double latency : latencyMs) {
                for (long seed : seeds) {
                    points.add(new SweepPoint(target, latency, seed, name + "-" + shortName(target) + "-lat"
                            + SweepPoint.plain(latency) + "-s" + seed));
                }
            }
        }
        return points;
    }

    /** A target's name in run ids: the name itself, or a target file's name without {@code .conf}. */
    static String shortName(String target) {
        String fileName = Path.of(target).getFileName().toString();
        return fileName.endsWith(".conf") ? fileName.substring(0, fileName.length() - ".conf".length()) : fileName;
    }

    private void checkRunIds(Config sweep) {
        Set<String> seen = new HashSet<>();
        for (SweepPoint point : points()) {
            try {
                RunIds.validate(point.runId());
            } catch (IllegalArgumentException e) {
                throw error(file, sweep.getValue("targets"), "sweep.targets", e.getMessage());
            }
            if (!seen.add(point.runId())) {
                throw error(file, sweep.getValue("targets"), "sweep", "two points share the run id " + point.runId()
                        + " (repeated values, or two target files with the same name)");
            }
        }
    }

    private static Map<String, String> overrides(Path file, Config set) {
        Config defaults = ConfigFactory.parseResources(ConfigLoader.DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
        Map<String, String> overrides = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : set.entrySet()) {
            String key = entry.getKey();
            if (!defaults.hasPathOrNull(key)) {
                throw error(file, entry.getValue(), "sweep.set." + key, "unknown configuration key (conf/sparknas.conf "
                        + "has no " + key + ")");
            }
            if (POINT_KEYS.contains(key)) {
                throw error(file, entry.getValue(), "sweep.set." + key, "each point sets " + key + " itself; list its "
                        + "values in sweep.targets, sweep.latency-ms or sweep.seeds");
            }
            overrides.put(key, entry.getValue().render(ConfigRenderOptions.concise()));
        }
        return overrides;
    }

    private static <T> List<T> nonEmpty(Path file, Config sweep, String key, List<T> values) {
        if (values.isEmpty()) {
            throw error(file, sweep.getValue(key), "sweep." + key, "must not be empty");
        }
        return values;
    }

    private static <T> T read(Path file, Config config, String key, String path, java.util.function.Supplier<T> reader,
                              String expected) {
        if (!config.hasPath(key)) {
            throw new ConfigurationException("sweep spec " + file + ": " + path + ": missing (expected " + expected
                    + ")");
        }
        try {
            return reader.get();
        } catch (ConfigException e) {
            throw error(file, config.getValue(key), path, "expected " + expected);
        }
    }

    private static ConfigurationException error(Path file, ConfigValue value, String key, String message) {
        int line = value == null ? -1 : value.origin().lineNumber();
        return new ConfigurationException("sweep spec " + file + (line > 0 ? " line " + line : "") + ": " + key + ": "
                + message);
    }
}
