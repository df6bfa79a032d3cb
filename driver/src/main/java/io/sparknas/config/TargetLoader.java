package io.sparknas.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.sparknas.cost.CycleCosts;
import io.sparknas.cost.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Loads a microcontroller {@link Target}: by name from {@code conf/targets/NAME.conf} on the classpath, or from a
 * file path. Every key is required and checked; unknown keys are rejected.
 */
public final class TargetLoader {

    /** The targets shipped in {@code conf/targets/}. */
    public static final List<String> SHIPPED = List.of("nrf52840", "stm32f412", "stm32f746", "stm32h743");

    private static final String RESOURCE_DIR = "sparknas-conf/targets/";
    private static final Set<String> KEYS = Set.of("name", "core", "clock-mhz", "sram", "flash", "runtime-sram",
            "runtime-flash", "latency-budget-ms", "cycles");
    private static final Set<String> CYCLE_KEYS = Set.of("conv", "pointwise", "depthwise", "dense", "add", "pool",
            "per-layer");

    private TargetLoader() {
    }

    /**
     * Loads the target named {@code nameOrPath}.
     *
     * @param origin where the name came from, for error messages
     */
    public static Target load(String nameOrPath, String origin) {
        Config config;
        String source;
        Path path = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".conf") || nameOrPath.contains("/")) {
            if (!Files.isRegularFile(path)) {
                throw new ConfigurationException("target: file not found: " + nameOrPath + " (" + origin + ")");
            }
            config = parse(() -> ConfigFactory.parseFile(path.toFile(), strict()), nameOrPath);
            source = nameOrPath;
        } else {
            String resource = RESOURCE_DIR + nameOrPath + ".conf";
            if (!exists(resource)) {
                throw new ConfigurationException("target: unknown target '" + nameOrPath + "' (" + origin
                        + "); shipped targets: " + String.join(", ", SHIPPED) + ", or give the path of a .conf file");
            }
            config = parse(() -> ConfigFactory.parseResources(resource, strict()), resource);
            source = "target " + nameOrPath;
        }
        ConfigReader reader = new ConfigReader(config.resolve(), source);
        rejectUnknown(reader, KEYS);
        ConfigReader cycles = new ConfigReader(config.getConfig("cycles"), source + ".cycles");
        rejectUnknown(cycles, CYCLE_KEYS);
        double max = 1e6;
        CycleCosts costs = new CycleCosts(cycles.number("conv", 0, max), cycles.number("pointwise", 0, max),
                cycles.number("depthwise", 0, max), cycles.number("dense", 0, max), cycles.number("add", 0, max),
                cycles.number("pool", 0, max), cycles.number("per-layer", 0, 1e9));
        return new Target(reader.string("name"), reader.string("core"), reader.number("clock-mhz", 1, 10_000),
                reader.bytes("sram", 1), reader.bytes("flash", 1), reader.bytes("runtime-sram", 0),
                reader.bytes("runtime-flash", 0), costs, reader.number("latency-budget-ms", 0, 1e9));
    }

    private static ConfigParseOptions strict() {
        return ConfigParseOptions.defaults().setAllowMissing(false);
    }

    private static Config parse(java.util.function.Supplier<Config> parser, String source) {
        try {
            return parser.get();
        } catch (ConfigException e) {
            throw new ConfigurationException("target " + source + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(String resource) {
        try (InputStream in = TargetLoader.class.getClassLoader().getResourceAsStream(resource)) {
            return in != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void rejectUnknown(ConfigReader reader, Set<String> known) {
        for (String key : reader.config().root().keySet()) {
            if (!known.contains(key)) {
                throw reader.invalid(key, "unknown key; known: " + known.stream().sorted().toList());
            }
        }
        for (String key : known) {
            if (!reader.config().hasPath(key)) {
                throw new ConfigurationException(reader.qualified(key) + ": missing");
            }
        }
    }
}
