package io.sparknas.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sparknas.config.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Kubeflow Spark-operator {@code SparkApplication} that runs {@code sparknas search}, used as the template of a
 * sweep's emitted manifests: each point gets a copy with its own name, sweep label and search arguments, while the
 * image, resources, volumes, service accounts and Spark configuration stay as the template has them. The default
 * is {@code k8s/base/search-application.yaml} (inside the jar); a rendered overlay ({@code kubectl kustomize}
 * output, whose first SparkApplication is taken) gives manifests for that environment.
 */
public final class SparkApplicationTemplate {

    /** Where the base SparkApplication lies on the classpath. */
    public static final String RESOURCE = "sparknas-k8s/search-application.yaml";

    /** The search options a template may carry; each point keeps them unless it sets its own. */
    private static final Set<String> VALUE_OPTIONS = Set.of("--config", "--output", "--supernet", "--set");
    private static final Set<String> FLAGS = Set.of("--strict", "--verbose");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final String origin;
    private final ObjectNode application;
    private final Map<String, String> options;
    private final List<String> overrides;
    private final List<String> flags;

    private SparkApplicationTemplate(String origin, ObjectNode application) {
        this.origin = origin;
        this.application = application;
        JsonNode arguments = application.path("spec").path("arguments");
        if (!arguments.isArray() || arguments.isEmpty() || !"search".equals(arguments.get(0).asText())) {
            throw invalid("spec.arguments must start with 'search'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> switches = new ArrayList<>();
        for (int i = 1; i < arguments.size(); i++) {
            String option = arguments.get(i).asText();
            if (FLAGS.contains(option)) {
                switches.add(option);
            } else if (VALUE_OPTIONS.contains(option) && i + 1 < arguments.size()) {
                String value = arguments.get(++i).asText();
                if (option.equals("--set")) {
                    sets.add(value);
                } else {
                    values.put(option, value);
                }
            } else {
                throw invalid("spec.arguments: '" + option + "' cannot be kept for every point (a template may carry "
                        + "--config, --output, --supernet, --set, --strict and --verbose; each point sets its own "
                        + "--run-id and --target)");
            }
        }
        this.options = Map.copyOf(values);
        this.overrides = List.copyOf(sets);
        this.flags = List.copyOf(switches);
    }

    /** The base SparkApplication packaged in the jar. */
    public static SparkApplicationTemplate bundled() {
        try (InputStream in = SparkApplicationTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath (a broken build)");
            }
            return parse(RESOURCE, readDocuments(YAML.readValues(YAML.createParser(in), JsonNode.class)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A SparkApplication YAML file, or a multi-document file whose first SparkApplication is the template. */
    public static SparkApplicationTemplate read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("--template: file not found: " + file);
        }
        try {
            return parse(file.toString(), readDocuments(YAML.readValues(YAML.createParser(file.toFile()),
                    JsonNode.class)));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigurationException configuration) {
                throw configuration;
            }
            throw new ConfigurationException("--template " + file + ": not YAML: " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> readDocuments(MappingIterator<JsonNode> documents) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        while (documents.hasNextValue()) {
            all.add(documents.nextValue());
        }
        return all;
    }

    private static SparkApplicationTemplate parse(String origin, List<JsonNode> documents) {
        for (JsonNode document : documents) {
            if (document instanceof ObjectNode object && "SparkApplication".equals(object.path("kind").asText())) {
                return new SparkApplicationTemplate(origin, object.deepCopy());
            }
        }
        throw new ConfigurationException("--template " + origin + ": no SparkApplication among its "
                + documents.size() + " document(s)");
    }

    /** The value of one of the template's search options ({@code --config}, {@code --output}, {@code --supernet}). */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The template's {@code --set} overrides, in order. */
    public List<String> overrides() {
        return overrides;
    }

    /** Whether the template's search runs with {@code flag} ({@code --strict}, {@code --verbose}). */
    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    /** The template's container image. */
    public String image() {
        return application.path("spec").path("image").asText();
    }

    /** Where the template came from, for messages. */
    public String origin() {
        return origin;
    }

    /**
     * The manifest of one point: the template named after the run, labelled with the sweep, running
     * {@code arguments} ({@code search ...}), with {@code image} when not null.
     */
    public ObjectNode manifest(String sweepName, SweepPoint point, List<String> arguments, String image) {
        ObjectNode manifest = application.deepCopy();
        ObjectNode metadata = manifest.withObjectProperty("metadata");
        metadata.put("name", name(point.runId()));
        metadata.withObjectProperty("labels").put("sparknas.io/sweep", name(sweepName));
        ObjectNode spec = manifest.withObjectProperty("spec");
        ArrayNode args = spec.putArray("arguments");
        arguments.forEach(args::add);
        if (image != null) {
            spec.put("image", image);
        }
        return manifest;
    }

    /**
     * A Kubernetes object name for a run id: lower case, letters, digits and '-', at most 63 characters; a longer
     * id keeps its first 54 characters and ends with 8 hex digits of its hash, so that two long ids stay apart.
     */
    public static String name(String runId) {
        String name = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-")
                .replaceAll("^-+|-+$", "");
        if (name.length() <= 63) {
            return name;
        }
        return name.substring(0, 54).replaceAll("-+$", "") + "-" + String.format("%08x", runId.hashCode());
    }

    /** Writes {@code DIR/<name>.yaml} and returns its path. */
    public static Path write(Path dir, ObjectNode manifest) {
        Path file = dir.resolve(manifest.path("metadata").path("name").asText() + ".yaml");
        try {
            Files.createDirectories(dir);
            YAML.writeValue(file.toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private ConfigurationException invalid(String message) {
        return new ConfigurationException("SparkApplication template " + origin + ": " + message);
    }
}
