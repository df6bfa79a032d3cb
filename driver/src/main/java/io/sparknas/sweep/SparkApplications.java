package io.sparknas.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kubeflow Spark-operator {@code SparkApplication} manifests (sparkoperator.k8s.io/v1beta2), one per sweep point:
 * the application jar runs {@code sparknas search} with the point's arguments, in cluster mode.
 */
public final class SparkApplications {

    /** Where the application jar lies inside the image. */
    public static final String APPLICATION_JAR = "local:///opt/sparknas/sparknas-app.jar";
    /** The image when {@code --image} is not given. */
    public static final String DEFAULT_IMAGE = "sparknas:0.1.0";

    private static final String BUILD_PROPERTIES = "sparknas-build.properties";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private SparkApplications() {
    }

    /** A Kubernetes object name for a run id: lower case, letters, digits and '-', at most 63 characters. */
    public static String name(String runId) {
        String name = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return name.replaceAll("^-+|-+$", "");
    }

    /** The manifest of one point as nested maps, in the order the YAML shows them. */
    public static Map<String, Object> manifest(String sweepName, SweepPoint point, List<String> arguments,
                                               String image) {
        Properties build = buildProperties();
        String javaOptions = build.getProperty("spark.jvm.opens");
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "sparkoperator.k8s.io/v1beta2");
        manifest.put("kind", "SparkApplication");
        manifest.put("metadata", new TreeMap<>(Map.of("name", name(point.runId()), "labels",
                new TreeMap<>(Map.of("app.kubernetes.io/name", "sparknas", "sparknas.io/sweep", name(sweepName))))));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "Java");
        spec.put("mode", "cluster");
        spec.put("image", image);
        spec.put("mainClass", "io.sparknas.cli.SparkNas");
        spec.put("mainApplicationFile", APPLICATION_JAR);
        spec.put("arguments", List.copyOf(arguments));
        spec.put("sparkVersion", build.getProperty("spark.version"));
        spec.put("restartPolicy", Map.of("type", "Never"));
        spec.put("driver", pod(Map.of("cores", 1, "memory", "4g", "serviceAccount", "sparknas-driver"), javaOptions));
        spec.put("executor", pod(Map.of("instances", 2, "cores", 2, "memory", "4g"), javaOptions));
        manifest.put("spec", spec);
        return manifest;
    }

    /** Writes {@code DIR/<name>.yaml} and returns its path. */
    public static Path write(Path dir, Map<String, Object> manifest) {
        @SuppressWarnings("unchecked")
        String name = (String) ((Map<String, Object>) manifest.get("metadata")).get("name");
        Path file = dir.resolve(name + ".yaml");
        try {
            Files.createDirectories(dir);
            YAML.writeValue(file.toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static Map<String, Object> pod(Map<String, Object> resources, String javaOptions) {
        Map<String, Object> pod = new TreeMap<>(resources);
        pod.put("javaOptions", javaOptions);
        return pod;
    }

    /** The build's {@code spark.jvm.opens} and {@code spark.version}, filled in from pom.xml by Maven. */
    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = SparkApplications.class.getClassLoader().getResourceAsStream(BUILD_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(BUILD_PROPERTIES + " is missing from the classpath (a broken build)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILD_PROPERTIES, e);
        }
        return properties;
    }
}
