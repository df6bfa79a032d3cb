package io.sparknas.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.MemoryPlan;
import io.sparknas.data.Augmentation;
import io.sparknas.data.BuiltInDataset;
import io.sparknas.data.ClassList;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DataFormatException;
import io.sparknas.data.DatasetFormat;
import io.sparknas.data.DatasetSource;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.llm.LlmSettings;
import io.sparknas.train.TrainingSettings;
import io.sparknas.supernet.SupernetSettings;
import io.sparknas.seed.Seeds;
import io.sparknas.space.Anchor;
import io.sparknas.space.ConvType;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.StageSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates the configuration on the driver, before any work: the defaults shipped in
 * {@code conf/sparknas.conf}, then the user's file, then {@code --set key=value} overrides, each winning over the
 * one before. Unknown keys, wrong types and impossible values fail here with one message naming the key and its
 * origin.
 */
public final class ConfigLoader {

    /** The defaults, from {@code conf/} packaged on the classpath. */
    public static final String DEFAULTS_RESOURCE = "sparknas-conf/sparknas.conf";

    private ConfigLoader() {
    }

    /**
     * Loads the configuration.
     *
     * @param userFile  a HOCON file of overrides, or null
     * @param overrides {@code key=value} strings from the command line
     */
    public static SparkNasConfig load(Path userFile, List<String> overrides) {
        return load(userFile, overrides, List.of());
    }

    /**
     * Loads the configuration with a command's own options on top.
     *
     * @param userFile  a HOCON file of overrides, or null
     * @param overrides {@code key=value} strings from the command line
     * @param options   typed values of command options, winning over {@code overrides}
     */
    public static SparkNasConfig load(Path userFile, List<String> overrides, List<OptionValue> options) {
        return load(userFile(userFile), overrides, options);
    }

    /**
     * Loads the configuration from a preset ({@code conf/presets/NAME.conf}, null for none) under the user's file,
     * {@code overrides} and {@code options}.
     */
    public static SparkNasConfig load(String preset, Path userFile, List<String> overrides,
                                      List<OptionValue> options) {
        return load(userFile(userFile).withFallback(preset(preset)), overrides, options);
    }

    /** The presets shipped in {@code conf/presets/}. */
    public static final List<String> PRESETS = List.of("quick");

    /** A preset's keys; empty for none; an unknown name is refused, naming the presets there are. */
    static Config preset(String name) {
        if (name == null) {
            return ConfigFactory.empty();
        }
        if (!PRESETS.contains(name)) {
            throw new ConfigurationException("--preset " + name + ": no such preset; there are: "
                    + String.join(", ", PRESETS));
        }
        try {
            return ConfigFactory.parseResources("sparknas-conf/presets/" + name + ".conf",
                    ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigurationException("preset " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code config} with one key set to {@code value} (as computed by the program, e.g. anchor boxes fitted to the
     * data), validated again; the resolved configuration, and so run.json, shows the new value.
     */
    public static SparkNasConfig with(SparkNasConfig config, String key, Object value, String origin) {
        return map(config.resolved().withValue(key, ConfigValueFactory.fromAnyRef(value, origin)));
    }

    /** One key whose value a command line would change in a recorded configuration. */
    public record Change(String key, String recorded, String given) {
    }

    /**
     * The keys whose values {@code userFile}, {@code overrides} and {@code options}, applied on top of a run's
     * recorded configuration, would change; empty when they only repeat it. A resumed run uses this to refuse a
     * command line that would make it a different run.
     */
    public static List<Change> changes(String recordedJson, String origin, Path userFile, List<String> overrides,
                                       List<OptionValue> options) {
        Config before = ConfigFactory.parseString(loadRecorded(recordedJson, origin, List.of()).renderJson());
        Config after = ConfigFactory.parseString(loadRecorded(recordedJson, origin, userFile, overrides, options)
                .renderJson());
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : after.entrySet()) {
            String key = entry.getKey();
            String now = entry.getValue().render(com.typesafe.config.ConfigRenderOptions.concise());
            String was = before.hasPath(key) ? before.getValue(key).render(com.typesafe.config.ConfigRenderOptions
                    .concise()) : "(absent)";
            if (!now.equals(was)) {
                changes.add(new Change(key, was, now));
            }
        }
        changes.sort(Comparator.comparing(Change::key));
        return changes;
    }

    /**
     * A run's recorded configuration with a command line on top: {@code userFile}, then {@code overrides}, then
     * {@code options}, as {@link #load(Path, List, List)} puts them on the defaults.
     */
    public static SparkNasConfig loadRecorded(String recordedJson, String origin, Path userFile,
                                              List<String> overrides, List<OptionValue> options) {
        SparkNasConfig recorded = loadRecorded(recordedJson, origin, List.of());
        Config base;
        try {
            base = ConfigFactory.parseString(recorded.renderJson(), ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.JSON).setOriginDescription(origin));
        } catch (ConfigException e) {
            throw new ConfigurationException(origin + ": " + e.getMessage(), e);
        }
        return load(userFile(userFile).withFallback(base), overrides, options);
    }

    private static Config userFile(Path userFile) {
        Config user = ConfigFactory.empty();
        if (userFile != null) {
            if (!Files.isRegularFile(userFile)) {
                throw new ConfigurationException("config file not found: " + userFile);
            }
            try {
                user = ConfigFactory.parseFile(userFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigurationException("config file " + userFile + ": " + e.getMessage(), e);
            }
        }
        return user;
    }

    /**
     * Loads the resolved configuration a run recorded in its {@code run.json} (keys added since fall back to the
     * defaults), then {@code --set} overrides.
     *
     * @param configJson the {@code config} object of run.json
     * @param origin     where it came from, for messages
     */
    public static SparkNasConfig loadRecorded(String configJson, String origin, List<String> overrides) {
        Config recorded;
        try {
            recorded = ConfigFactory.parseString(configJson, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.JSON).setOriginDescription(origin));
        } catch (ConfigException e) {
            throw new ConfigurationException(origin + ": " + e.getMessage(), e);
        }
        for (String key : RETIRED.keySet()) {
            recorded = recorded.withoutPath(key);
        }
        return load(recorded, overrides, List.of());
    }

    private static SparkNasConfig load(Config user, List<String> overrides, List<OptionValue> options) {
        Config defaults = ConfigFactory.parseResources(DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config commandLine = parseOverrides(overrides);
        for (OptionValue option : options) {
            commandLine = commandLine.withValue(option.key(),
                    ConfigValueFactory.fromAnyRef(option.value(), "command line " + option.option()));
        }
        Config given = commandLine.withFallback(user);
        rejectUnknownKeys(given, defaults);
        Config merged;
        try {
            merged = given.withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        return map(merged);
    }

    private static Config parseOverrides(List<String> overrides) {
        Config result = ConfigFactory.empty();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException("--set " + override + ": expected key=value");
            }
            String key = override.substring(0, eq).trim();
            String value = override.substring(eq + 1).trim();
            ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription("command line --set " + key);
            Config parsed;
            try {
                parsed = ConfigFactory.parseString(key + " = " + value, options);
            } catch (ConfigException e) {
                parsed = ConfigFactory.parseMap(Map.of(key, value), "command line --set " + key);
            }
            result = parsed.withFallback(result);
        }
        return result;
    }

    /**
     * Keys that earlier versions had, with why they went: a run.json that records one still loads (the key is
     * dropped); a configuration file or --set that gives one is refused with the reason.
     */
    private static final Map<String, String> RETIRED = Map.of("search.elitism", "survivors are now the best of "
            + "parents and offspring together, so the best candidates are never lost", "space.head.anchors",
            "anchors are now space.head.anchor-boxes, fractions of the image side, so they fit every resolution "
            + "(an anchor of c grid cells at S px is c x output-stride / S); 'sparknas data anchors' fits them to your "
            + "training boxes");

    private static void rejectUnknownKeys(Config given, Config defaults) {
        Set<Map.Entry<String, ConfigValue>> entries = given.entrySet();
        for (Map.Entry<String, ConfigValue> entry : entries) {
            String key = entry.getKey();
            if (RETIRED.containsKey(key)) {
                throw new ConfigurationException(key + ": no longer a setting (" + entry.getValue().origin()
                        .description() + "): " + RETIRED.get(key) + "; remove it");
            }
            if (!defaults.hasPathOrNull(key)) {
                ConfigOrigin origin = entry.getValue().origin();
                String hint = nearestKey(key, defaults);
                throw new ConfigurationException(key + ": unknown key (" + origin.description() + ")"
                        + (hint == null ? "" : "; did you mean " + hint + "?"));
            }
        }
    }

    private static String nearestKey(String key, Config defaults) {
        return defaults.entrySet().stream().map(Map.Entry::getKey)
                .min(Comparator.comparingInt(known -> editDistance(known, key)))
                .filter(known -> editDistance(known, key) <= Math.max(2, key.length() / 4))
                .orElse(null);
    }

    /** Levenshtein distance, for "did you mean" hints on unknown keys. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static SparkNasConfig map(Config config) {
        ConfigReader root = new ConfigReader(config, "");
        RunSettings run = new RunSettings(nonBlank(root, "run.output-dir"), root.longValue("run.seed"));
        SparkSettings spark = new SparkSettings(nonBlank(root, "spark.master"), nonBlank(root, "spark.app-name"),
                root.bool("spark.ui"));
        String targetName = nonBlank(root, "target");
        var loaded = TargetLoader.load(targetName, config.getValue("target").origin().description());
        double latencyBudget = root.number("budgets.latency-ms", 0, 1e9);
        var target = latencyBudget > 0 ? new io.sparknas.cost.Target(loaded.name(), loaded.core(), loaded.clockMhz(),
                loaded.sramBytes(), loaded.flashBytes(), loaded.runtimeSramBytes(), loaded.runtimeFlashBytes(),
                loaded.cycles(), latencyBudget) : loaded;
        ConfigReader dataReader = new ConfigReader(config.getConfig("data"), "data");
        DatasetSource declared = data(dataReader);
        ClassList classes = classList(declared, dataReader);
        DatasetSource data = declared.withClasses(classes.names());
        ConfigReader spaceReader = new ConfigReader(config.getConfig("space"), "space");
        int headClasses = headClasses(spaceReader, classes);
        SearchSpace space = space(spaceReader, headClasses);
        CostSettings cost = cost(new ConfigReader(config.getConfig("cost"), "cost"));
        TrainingSettings training = training(new ConfigReader(config.getConfig("train"), "train"),
                new ConfigReader(config.getConfig("data.augment"), "data.augment"), run.seed());
        SupernetSettings supernet = supernet(new ConfigReader(config.getConfig("supernet"), "supernet"),
                training.augmentation(), run.seed());
        new ConfigReader(config.getConfig("supernet"), "supernet").integer("parallelism", 0, 4096);
        new ConfigReader(config.getConfig("final.teacher"), "final.teacher").integer("parallelism", 0, 4096);
        ConfigReader eval = new ConfigReader(config.getConfig("eval"), "eval");
        try {
            io.sparknas.export.EvalEngine.fromConfigName(eval.string("engine"));
        } catch (IllegalArgumentException e) {
            throw eval.invalid("engine", e.getMessage());
        }
        SearchSettings search = search(new ConfigReader(config.getConfig("search"), "search"));
        SpaceSelectionSettings selection = new SpaceSelectionSettings(
                root.integer("space-selection.samples-per-cell", 1, 10_000_000),
                root.integer("space-selection.partitions", 0, 100_000),
                root.number("space-selection.min-feasible-fraction", 0, 1));
        LlmSettings llm = llm(new ConfigReader(config.getConfig("llm"), "llm"));
        FinalSettings finals = finals(new ConfigReader(config.getConfig("final"), "final"));
        String resolvedFrom = "resolved at load: " + classes.describe();
        Config recorded = config
                .withValue("data.classes", ConfigValueFactory.fromIterable(classes.names(), resolvedFrom))
                .withValue("space.head.classes", ConfigValueFactory.fromAnyRef(headClasses, resolvedFrom));
        return new SparkNasConfig(recorded, run, spark, target, space, cost, data, training, supernet, search,
                selection, llm, finals, classes);
    }

    /**
     * The dataset's class list, resolved here, on the driver, while the configuration loads: run.json then records
     * it (as {@code data.classes}) and the head size it gives, every command and every executor reads the data with
     * the same class ids, and a dataset without a usable class list fails before any work starts. The I/O is kept
     * cheap: none when {@code data.classes} is given or the data is synthetic, else classes.txt, the COCO categories
     * or the object names of the VOC train annotations, and never an image.
     */
    private static ClassList classList(DatasetSource data, ConfigReader reader) {
        try {
            return data.classList(DataFiles.local());
        } catch (DataFormatException e) {
            if (data.isSynthetic()) {
                throw new ConfigurationException(e.getMessage(), e);
            }
            throw reader.invalid("path", e.getMessage());
        } catch (UncheckedIOException e) {
            throw reader.invalid("path", e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    /**
     * The head's class count: {@code space.head.classes} when set, which must then be the dataset's number of
     * classes; when 0 (the default), the dataset's number.
     */
    private static int headClasses(ConfigReader space, ClassList classes) {
        int declared = space.integer("head.classes", 0, 1000);
        if (declared == 0) {
            return classes.size();
        }
        if (declared != classes.size()) {
            throw space.invalid("head.classes", declared + " does not match the " + (classes.origin()
                    == ClassList.Origin.GIVEN ? classes.size() + " names of data.classes " + classes.names()
                    : "dataset's " + classes.describe()));
        }
        return declared;
    }

    private static FinalSettings finals(ConfigReader finals) {
        String init = finals.string("init").trim().toLowerCase(java.util.Locale.ROOT);
        if (!init.equals("scratch") && !init.equals("inherited")) {
            throw finals.invalid("init", "'" + init + "' is not scratch or inherited");
        }
        int dim = finals.integer("teacher.dim", 8, 4096);
        int heads = finals.integer("teacher.heads", 1, 64);
        if (dim % heads != 0) {
            throw finals.invalid("teacher.heads", heads + " heads do not divide final.teacher.dim " + dim);
        }
        int tokensPerCell = finals.integer("teacher.tokens-per-cell", 1, 8);
        if (Integer.bitCount(tokensPerCell) != 1) {
            throw finals.invalid("teacher.tokens-per-cell", tokensPerCell + " is not a power of two (1, 2, 4 or 8)");
        }
        return new FinalSettings(finals.bool("after-search"), finals.integer("top", 1, 1000),
                finals.integer("seeds", 1, 100), finals.integer("epochs", 1, 10_000), init.equals("inherited"),
                new io.sparknas.train.DistillationSettings(finals.number("distillation.weight", 0, 1000),
                        finals.number("distillation.temperature", 0.01, 1000),
                        finals.number("distillation.threshold", 0, 1),
                        finals.number("distillation.class-weight", 0, 1000),
                        finals.number("distillation.objectness-weight", 0, 1000),
                        finals.number("distillation.box-weight", 0, 1000)),
                new FinalSettings.TeacherSettings(finals.integer("teacher.side-factor", 1, 8), dim,
                        finals.integer("teacher.depth", 1, 64), heads, finals.integer("teacher.mlp-ratio", 1, 16),
                        finals.integer("teacher.epochs", 1, 10_000), finals.number("teacher.learning-rate", 1e-7, 10),
                        finals.string("teacher.cache-dir").trim(), teacherStem(finals),
                        finals.integer("teacher.stem-width", 0, 4096), finals.integer("teacher.stem-blocks", 0, 8),
                        tokensPerCell, finals.bool("teacher.flip-average"),
                        finals.integer("teacher.patience", 0, 10_000)),
                finals.integer("calibration-images", 1, 1_000_000), finals.bool("baseline"),
                finals.bool("baseline-distillation"), finals.integer("augmented-views", 0, 1000));
    }

    private static boolean teacherStem(ConfigReader finals) {
        String stem = finals.string("teacher.stem").trim().toLowerCase(java.util.Locale.ROOT);
        if (!stem.equals("patches") && !stem.equals("conv")) {
            throw finals.invalid("teacher.stem", "'" + stem + "' is not a stem; allowed: patches, conv");
        }
        return stem.equals("conv");
    }

    private static LlmSettings llm(ConfigReader llm) {
        String endpoint = llm.string("endpoint").trim();
        if (!endpoint.isEmpty() && !endpoint.matches("https?://\\S+")) {
            throw llm.invalid("endpoint", "'" + endpoint + "' is not an http(s) URL, e.g. http://localhost:11434/v1");
        }
        String model = llm.string("model").trim();
        if (!endpoint.isEmpty() && model.isEmpty()) {
            throw llm.invalid("model", "must name the model to ask when llm.endpoint is set");
        }
        String keyEnv = llm.string("api-key-env").trim();
        if (!keyEnv.isEmpty() && !keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw llm.invalid("api-key-env", "'" + keyEnv + "' is not an environment variable name (the key itself "
                    + "never goes in the configuration)");
        }
        String format = llm.string("response-format").trim().toLowerCase(java.util.Locale.ROOT);
        if (!LlmSettings.RESPONSE_FORMATS.contains(format)) {
            throw llm.invalid("response-format", "'" + format + "' is not one of " + LlmSettings.RESPONSE_FORMATS);
        }
        java.time.Duration backoff = llm.duration("backoff", java.time.Duration.ZERO);
        java.time.Duration maxBackoff = llm.duration("max-backoff", java.time.Duration.ZERO);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw llm.invalid("max-backoff", "must not be shorter than llm.backoff");
        }
        return new LlmSettings(endpoint, model, keyEnv, llm.number("temperature", 0, 2),
                llm.duration("timeout", java.time.Duration.ofMillis(100)), llm.integer("retries", 0, 20), backoff,
                maxBackoff, llm.integer("concurrency", 1, 256), llm.number("requests-per-minute", 0, 100_000),
                llm.number("fraction", 0, 1), llm.integer("candidates-per-request", 1, 64),
                llm.integer("history.best", 0, 100), llm.integer("history.infeasible", 0, 100),
                llm.integer("history.avoid", 0, 10_000), llm.bytes("max-reply-bytes", 1024),
                llm.integer("breaker-failures", 1, 1000), format);
    }

    private static String nonBlank(ConfigReader reader, String path) {
        String value = reader.string(path);
        if (value.isBlank()) {
            throw reader.invalid(path, "must not be blank");
        }
        return value;
    }

    private static SearchSpace space(ConfigReader space, int headClasses) {
        List<Integer> resolutions = space.integers("resolutions", 16, 1024);
        List<Double> widths = space.numbers("widths", 0.05, 4.0);
        int divisor = space.integer("channel-divisor", 1, 64);
        int stem = space.integer("stem-channels", 1, 1024);
        List<StageSpec> stages = new ArrayList<>();
        List<? extends Config> stageConfigs = space.objects("stages");
        for (int s = 0; s < stageConfigs.size(); s++) {
            ConfigReader stage = new ConfigReader(stageConfigs.get(s), "space.stages[" + s + "]");
            rejectUnknownFields(stage, Set.of("channels", "stride", "depths"));
            int stride = stage.integer("stride", 1, 2);
            stages.add(new StageSpec(stage.integer("channels", 1, 4096), stride, stage.integers("depths", 1, 16)));
        }
        EnumSet<ConvType> types = EnumSet.noneOf(ConvType.class);
        List<String> typeNames = space.strings("conv-types");
        for (int i = 0; i < typeNames.size(); i++) {
            try {
                types.add(ConvType.fromJsonName(typeNames.get(i)));
            } catch (IllegalArgumentException e) {
                throw space.invalid("conv-types[" + i + "]", e.getMessage());
            }
        }
        List<Integer> kernels = space.integers("kernels", 1, 15);
        for (int i = 0; i < kernels.size(); i++) {
            if (kernels.get(i) % 2 == 0) {
                throw space.invalid("kernels[" + i + "]", kernels.get(i) + " is even; kernels must be odd");
            }
        }
        List<Integer> expands = space.integers("expand-ratios", 1, 16);
        ConfigReader head = new ConfigReader(space.config().getConfig("head"), "space.head");
        head.bool("fit-anchors");
        List<Anchor> anchors = new ArrayList<>();
        for (List<Double> pair : head.numberPairs("anchor-boxes")) {
            if (!(pair.get(0) > 0 && pair.get(1) > 0 && pair.get(0) <= 1 && pair.get(1) <= 1)) {
                throw head.invalid("anchor-boxes", "anchor sides are fractions of the image side, in (0, 1]; got "
                        + pair);
            }
            anchors.add(new Anchor(pair.get(0), pair.get(1)));
        }
        HeadSpec headSpec = new HeadSpec(head.integer("channels", 1, 4096), headClasses, anchors,
                head.integer("output-stride", 1, 1024));
        SearchSpace built = new SearchSpace(resolutions, widths, divisor, stem, stages, types, kernels, expands,
                headSpec, anchors);
        if (built.backboneStride() != headSpec.outputStride()) {
            throw head.invalid("output-stride", headSpec.outputStride() + " does not match the backbone's stride "
                    + built.backboneStride() + " (2 for the stem times the stage strides)");
        }
        for (int i = 0; i < resolutions.size(); i++) {
            if (resolutions.get(i) % built.backboneStride() != 0) {
                throw space.invalid("resolutions[" + i + "]", resolutions.get(i)
                        + " is not a multiple of the output stride " + built.backboneStride());
            }
        }
        return built;
    }

    private static void rejectUnknownFields(ConfigReader reader, Set<String> known) {
        for (String key : reader.config().root().keySet()) {
            if (!known.contains(key)) {
                throw reader.invalid(key, "unknown key; known: " + known.stream().sorted().toList());
            }
        }
    }

    private static DatasetSource data(ConfigReader data) {
        String source = data.string("source").trim().toLowerCase(java.util.Locale.ROOT);
        BuiltInDataset builtIn = BuiltInDataset.fromSourceName(source).orElse(null);
        DatasetFormat format = null;
        if (builtIn == null) {
            try {
                format = DatasetFormat.parse(source);
            } catch (IllegalArgumentException e) {
                throw data.invalid("source", "'" + source + "' is not a data source; allowed: "
                        + String.join(", ", sourceNames()));
            }
            if (data.string("path").isBlank()) {
                throw data.invalid("path", "must name the " + source + " dataset folder when data.source is " + source);
            }
        }
        List<String> classes = data.stringsOrEmpty("classes");
        // Every built-in set's section is validated, the unused ones too, so a mistake fails before it matters.
        Map<BuiltInDataset, SyntheticSpec> specs = new EnumMap<>(BuiltInDataset.class);
        for (BuiltInDataset set : BuiltInDataset.values()) {
            specs.put(set, syntheticSpec(data, set.section()));
        }
        SyntheticSpec spec = specs.get(builtIn == null ? BuiltInDataset.SYNTHETIC : builtIn);
        return new DatasetSource(format, builtIn, data.string("path"), classes, data.bool("strict"), spec);
    }

    /** The {@code data.source} values: the built-in sets, then the folder layouts. */
    private static List<String> sourceNames() {
        List<String> names = new ArrayList<>();
        for (BuiltInDataset set : BuiltInDataset.values()) {
            names.add(set.sourceName());
        }
        for (DatasetFormat layout : DatasetFormat.values()) {
            names.add(layout.name().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static SyntheticSpec syntheticSpec(ConfigReader data, String section) {
        ConfigReader reader = new ConfigReader(data.config().getConfig(section), "data." + section);
        return new SyntheticSpec(reader.integer("image-size", 32, 1024), reader.integer("train", 1, 1_000_000),
                reader.integer("val", 1, 1_000_000), reader.integer("test", 1, 1_000_000), reader.longValue("seed"));
    }

    private static SearchSettings search(ConfigReader search) {
        SearchMode mode;
        try {
            mode = SearchMode.fromText(search.string("mode").trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw search.invalid("mode", e.getMessage());
        }
        int population = search.integer("population", 2, 100_000);
        Objective objective;
        try {
            objective = Objective.fromText(search.string("objective").trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw search.invalid("objective", e.getMessage());
        }
        return new SearchSettings(mode, objective, population, search.integer("generations", 0, 100_000),
                search.number("offspring-fraction", 0, 1), search.number("crossover-rate", 0, 1),
                search.number("mutation-rate", 0, 1), search.integer("tournament-size", 1, 1000),
                search.integer("partitions", 0, 100_000), search.integer("threads-per-task", 0, 1024),
                search.integer("top", 1, 1000), search.integer("sample-attempts", 1, 10_000_000),
                search.integer("breeding-attempts", 1, 1_000_000), search.bool("testing.fail-first-attempt"));
    }

    private static SupernetSettings supernet(ConfigReader supernet, Augmentation augmentation, long seed) {
        return new SupernetSettings(supernet.integer("epochs", 1, 100_000), supernet.integer("batch-size", 1, 4096),
                supernet.integer("steps-per-epoch", 0, 10_000_000),
                supernet.integer("random-subnets", 0, 64), supernet.number("learning-rate", 1e-7, 10),
                supernet.number("warmup-epochs", 0, 1000), supernet.number("weight-decay", 0, 1),
                supernet.bool("progressive-shrinking"), supernet.integer("recalibration-batches", 1, 10_000),
                supernet.integer("eval-every", 0, 100_000), augmentation, Seeds.derive(seed, "supernet"),
                weightSharing(supernet), new io.sparknas.train.DistillationSettings(
                        supernet.number("inplace-distillation.weight", 0, 1000),
                        supernet.number("inplace-distillation.temperature", 0.01, 1000),
                        supernet.number("inplace-distillation.threshold", 0, 1)),
                supernet.bool("zero-kernel-rings"), memberTypes(supernet),
                supernet.integer("smallest-every", 0, 1_000_000), supernet.integer("largest-every", 0, 1_000_000));
    }

    private static io.sparknas.supernet.MemberConvTypes memberTypes(ConfigReader supernet) {
        try {
            return io.sparknas.supernet.MemberConvTypes.fromConfigName(supernet.string("member-types"));
        } catch (IllegalArgumentException e) {
            throw supernet.invalid("member-types", e.getMessage());
        }
    }

    private static io.sparknas.supernet.WeightSharing weightSharing(ConfigReader supernet) {
        try {
            return io.sparknas.supernet.WeightSharing.fromConfigName(supernet.string("weight-sharing"));
        } catch (IllegalArgumentException e) {
            throw supernet.invalid("weight-sharing", e.getMessage());
        }
    }

    private static TrainingSettings training(ConfigReader train, ConfigReader augment, long seed) {
        Augmentation augmentation = new Augmentation(augment.number("flip", 0, 1), augment.number("scale", 0, 0.9),
                augment.number("translate", 0, 0.5), augment.number("brightness", 0, 1),
                augment.number("contrast", 0, 0.9), augment.number("saturation", 0, 0.9));
        String optimizer = train.string("optimizer").trim().toLowerCase(java.util.Locale.ROOT);
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw train.invalid("optimizer", "'" + optimizer + "' is not an optimizer; allowed: adam, sgd");
        }
        return new TrainingSettings(train.integer("epochs", 1, 100_000), train.integer("batch-size", 1, 4096),
                optimizer, train.number("learning-rate", 1e-7, 10), train.number("momentum", 0, 0.999),
                train.number("warmup-epochs", 0, 1000), train.number("weight-decay", 0, 1),
                train.integer("patience", 0, 100_000), train.integer("eval-every", 1, 100_000), augmentation, seed);
    }

    private static CostSettings cost(ConfigReader cost) {
        MemoryPlan plan;
        try {
            plan = MemoryPlan.fromConfigName(cost.string("memory-plan"));
        } catch (IllegalArgumentException e) {
            throw cost.invalid("memory-plan", e.getMessage());
        }
        return new CostSettings(plan, cost.integer("patch.grid", 1, 64), cost.integer("patch.cut-stride", 2, 64));
    }
}
