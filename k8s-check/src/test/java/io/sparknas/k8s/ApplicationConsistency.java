package io.sparknas.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.cli.SparkNas;
import io.sparknas.config.ConfigurationException;
import io.sparknas.config.SparkNasConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * Ties a Spark-operator application to the program it runs: SparkNAS's main class, the jar where the Dockerfile
 * puts it, pom.xml's Spark version and JVM flags, the SparkNAS image; every file an argument names (--config,
 * --spec, --target) lies in a ConfigMap mounted in the driver that holds it, and the arguments, with those files,
 * are accepted by the real command line and load a valid configuration (a sweep is expanded and checked point by
 * point, as 'sparknas sweep --dry-run' does). Results go to a volume the driver and the executors both mount, or to
 * a Hadoop URI.
 */
final class ApplicationConsistency {

    /** The options whose value is a configuration file the driver reads. */
    private static final Set<String> FILE_OPTIONS = Set.of("--config", "--spec", "--target");

    private final BuildFacts build;
    private final Path scratch;

    ApplicationConsistency(BuildFacts build, Path scratch) {
        this.build = build;
        this.scratch = scratch;
    }

    void check(JsonNode object, List<ObjectNode> all, Problems problems) {
        String where = Manifests.describe(object);
        JsonNode spec = SparkOperatorResources.applicationSpec(object);
        String at = SparkOperatorResources.specPath(object);
        expect(problems, where, at + ".mainClass", SparkNas.class.getName(), spec.path("mainClass").asText());
        expect(problems, where, at + ".mainApplicationFile", "local://" + build.applicationJar(),
                spec.path("mainApplicationFile").asText());
        expect(problems, where, at + ".sparkVersion", build.sparkVersion(), spec.path("sparkVersion").asText());
        if (!build.sparkImage().contains(":" + build.sparkVersion() + "-") || !build.sparkImage().contains("java17")) {
            problems.add("k8s/Dockerfile", "SPARK_IMAGE", build.sparkImage() + " is not Spark " + build.sparkVersion()
                    + " on Java 17");
        }
        String image = spec.path("image").asText();
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        if (!repository.equals("sparknas") && !repository.endsWith("/sparknas")) {
            problems.add(where, at + ".image", "'" + image + "' is not the SparkNAS image (k8s/Dockerfile)");
        }
        if (!image.contains(":") || image.endsWith(":latest")) {
            problems.add(where, at + ".image", "'" + image + "' has no pinned tag");
        }
        for (String role : new String[] {"driver", "executor"}) {
            List<String> flags = List.of(spec.path(role).path("javaOptions").asText().split("\\s+"));
            for (String flag : build.jvmFlags()) {
                if (!flags.contains(flag)) {
                    problems.add(where, at + "." + role + ".javaOptions", "lacks " + flag + " (pom.xml spark.jvm.opens)");
                }
            }
        }
        arguments(object, spec, at, all, problems);
    }

    private void arguments(JsonNode object, JsonNode spec, String at, List<ObjectNode> all, Problems problems) {
        String where = Manifests.describe(object);
        List<String> arguments = new ArrayList<>();
        spec.path("arguments").forEach(argument -> arguments.add(argument.asText()));
        if (arguments.isEmpty()) {
            problems.add(where, at + ".arguments", "missing: the sparknas command to run");
            return;
        }
        Map<String, String> mounts = configMapMounts(spec, all);
        List<String> local = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            local.add(argument);
            if (FILE_OPTIONS.contains(argument) && i + 1 < arguments.size()) {
                String file = arguments.get(++i);
                if (argument.equals("--target") && !file.contains("/")) {
                    local.add(file);
                    continue;
                }
                Optional<Path> copy = fromConfigMap(file, mounts, spec, all);
                if (copy.isEmpty()) {
                    problems.add(where, at + ".arguments", argument + " " + file + ": not a file of a ConfigMap "
                            + "mounted in the driver (mounts: " + mounts.keySet() + ")");
                    local.add(file);
                } else {
                    local.add(copy.get().toString());
                }
            }
        }
        SparkNasConfig config;
        try {
            config = SparkNas.check(local.toArray(String[]::new));
        } catch (CommandLine.ParameterException | ConfigurationException e) {
            problems.add(where, at + ".arguments", "'sparknas " + String.join(" ", arguments) + "' is refused by the "
                    + "command line: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            problems.add(where, at + ".arguments", "'sparknas " + String.join(" ", arguments) + "': " + e);
            return;
        }
        String command = arguments.get(0);
        if (command.equals("sweep")) {
            List<String> dryRun = new ArrayList<>(local);
            dryRun.add("--dry-run");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = SparkNas.execute(new PrintWriter(out), new PrintWriter(err), dryRun.toArray(String[]::new));
            if (status != 0) {
                problems.add(where, at + ".arguments", "'sparknas " + String.join(" ", arguments) + " --dry-run' "
                        + "exits with " + status + ": " + err.toString().strip());
            }
        }
        if (command.equals("search") || command.equals("sweep")) {
            output(where, at, spec, value(arguments, "--output").orElse(config.run().outputDir()), problems);
        }
    }

    /** Results on a Hadoop URI, or on a volume the driver and every executor mount (executors write Parquet). */
    private static void output(String where, String at, JsonNode spec, String output, Problems problems) {
        if (output.contains("://")) {
            return;
        }
        for (String role : new String[] {"driver", "executor"}) {
            boolean mounted = false;
            for (JsonNode mount : spec.path(role).path("volumeMounts")) {
                String path = mount.path("mountPath").asText();
                if ((output + "/").startsWith(path.endsWith("/") ? path : path + "/")
                        && !mount.path("readOnly").asBoolean(false)) {
                    mounted = true;
                }
            }
            if (!mounted) {
                problems.add(where, at + "." + role + ".volumeMounts", "results folder " + output + " is not on a "
                        + "writable volume of the " + role + " (driver and executors both write the run)");
            }
        }
    }

    /** Mount path -> ConfigMap name, for the driver's ConfigMap volumes. */
    private static Map<String, String> configMapMounts(JsonNode spec, List<ObjectNode> all) {
        Map<String, String> configMaps = new HashMap<>();
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.has("configMap")) {
                configMaps.put(volume.path("name").asText(), volume.path("configMap").path("name").asText());
            }
        }
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode mount : spec.path("driver").path("volumeMounts")) {
            String configMap = configMaps.get(mount.path("name").asText());
            if (configMap != null) {
                mounts.put(mount.path("mountPath").asText(), configMap);
            }
        }
        return mounts;
    }

    /** A copy, in the scratch folder, of the ConfigMap entry that {@code file} is in the driver's pod. */
    private Optional<Path> fromConfigMap(String file, Map<String, String> mounts, JsonNode spec,
                                         List<ObjectNode> all) {
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            String prefix = mount.getKey().endsWith("/") ? mount.getKey() : mount.getKey() + "/";
            if (!file.startsWith(prefix)) {
                continue;
            }
            String key = file.substring(prefix.length());
            Optional<ObjectNode> configMap = Manifests.find(all, "ConfigMap", mount.getValue());
            if (configMap.isEmpty() || !configMap.get().path("data").has(key)) {
                return Optional.empty();
            }
            try {
                Path folder = Files.createTempDirectory(scratch, "configmap-");
                Path copy = folder.resolve(key);
                Files.writeString(copy, configMap.get().path("data").path(key).asText());
                return Optional.of(copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(List<String> arguments, String option) {
        int index = arguments.indexOf(option);
        return index >= 0 && index + 1 < arguments.size() ? Optional.of(arguments.get(index + 1)) : Optional.empty();
    }

    private static void expect(Problems problems, String where, String field, String expected, String actual) {
        if (!expected.equals(actual)) {
            problems.add(where, field, "'" + actual + "', expected '" + expected + "'");
        }
    }
}
