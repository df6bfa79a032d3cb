package io.sparknas.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code run.json}: what a run was made of — the resolved configuration, its seeds, the git revision of the code
 * and the versions of the libraries that produced the numbers — written once when the run starts, read by every
 * later command on the run.
 */
public final class RunManifest {

    /** File name under the run folder. */
    public static final String FILE = "run.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final String location;

    private RunManifest(JsonNode root, String location) {
        this.root = root;
        this.location = location;
    }

    /** The whole manifest. */
    public JsonNode json() {
        return root;
    }

    /** The recorded configuration, as JSON text (HOCON reads it). */
    public String configJson() {
        return root.get("config").toString();
    }

    /** The recorded configuration, loaded and validated, with {@code overrides} ({@code key=value}) on top. */
    public SparkNasConfig configuration(List<String> overrides) {
        return ConfigLoader.loadRecorded(configJson(), location, overrides);
    }

    /**
     * A command option the run was started with that is not a configuration key (e.g. {@code supernet}: the
     * checkpoint given with {@code --supernet}), or null when it was not given.
     */
    public String option(String name) {
        JsonNode value = root.path("options").path(name);
        return value.isTextual() ? value.asText() : null;
    }

    /** Where it was read from, for messages. */
    public String location() {
        return location;
    }

    /** Reads {@code folder/run.json}; a file that is not a SparkNAS manifest is an error naming it. */
    static RunManifest read(FileSystem fs, Path folder) {
        Path path = new Path(folder, FILE);
        try (InputStream in = fs.open(path)) {
            JsonNode root = JSON.readTree(in);
            if (root == null || !root.path("config").isObject()) {
                throw new IllegalArgumentException(path + " is not a SparkNAS run.json (no 'config' object)");
            }
            return new RunManifest(root, path.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(path + " cannot be read as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code folder/run.json}; {@code configJson} is the resolved configuration, {@code seeds} named seeds,
     * {@code target} the microcontroller's budgets as numbers (for notebooks, which cannot resolve target files), and
     * {@code options} the command options that are not configuration keys, which a resume restores.
     */
    static void write(SparkSession spark, FileSystem fs, Path folder, String runId, String command, String configJson,
                      Map<String, Long> seeds, io.sparknas.cost.Target target, String memoryPlan,
                      Map<String, String> options) {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", runId);
        root.put("command", command);
        ObjectNode budgets = root.putObject("target");
        budgets.put("name", target.name());
        budgets.put("sram_bytes", target.sramBytes());
        budgets.put("runtime_sram_bytes", target.runtimeSramBytes());
        budgets.put("flash_bytes", target.flashBytes());
        budgets.put("latency_budget_ms", target.latencyBudgetMs());
        budgets.put("memory_plan", memoryPlan);
        root.put("started", Instant.now().toString());
        root.put("git_revision", gitRevision());
        root.set("seeds", JSON.valueToTree(seeds));
        root.set("options", JSON.valueToTree(new TreeMap<>(options)));
        root.set("libraries", JSON.valueToTree(libraries(spark)));
        Path path = new Path(folder, FILE);
        try {
            root.set("config", JSON.readTree(configJson));
            try (OutputStream out = fs.create(path, true)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The commit of the working directory's git checkout, or {@code unknown} (for example in a container). */
    static String gitRevision() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    /** Versions of the libraries that compute results, from their Maven metadata. */
    static Map<String, String> libraries(SparkSession spark) {
        Map<String, String> versions = new TreeMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("spark", spark.version());
        versions.put("deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        String jenetics = io.jenetics.engine.Engine.class.getPackage().getImplementationVersion();
        versions.put("jenetics", jenetics != null ? jenetics : "unknown");
        versions.put("parquet", mavenVersion("org.apache.parquet", "parquet-hadoop"));
        return versions;
    }

    private static String mavenVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = RunManifest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
