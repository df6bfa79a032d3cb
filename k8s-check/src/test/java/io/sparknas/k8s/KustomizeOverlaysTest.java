package io.sparknas.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kustomization under k8s/ renders with kubectl and passes validation, and each environment is what its
 * README section says: the objects of each kind, namespace, image, where results go, the ConfigMap built from conf/.
 */
class KustomizeOverlaysTest {

    @TempDir
    static Path scratch;

    private static final Path ROOT = Manifests.root();
    private static ManifestValidator validator;

    @BeforeAll
    static void validator() throws IOException {
        validator = new ManifestValidator(ROOT, scratch);
    }

    private static List<ObjectNode> renderValid(String kustomization) {
        List<ObjectNode> objects = Manifests.render(ROOT.resolve(kustomization));
        Problems problems = validator.validate(objects);
        assertTrue(problems.isEmpty(), kustomization + ":\n" + problems);
        return objects;
    }

    private static Map<String, Long> kinds(List<ObjectNode> objects) {
        return objects.stream().collect(Collectors.groupingBy(o -> o.path("kind").asText(), TreeMap::new,
                Collectors.counting()));
    }

    private static JsonNode spec(List<ObjectNode> objects, String kind, String name) {
        return SparkOperatorResources.applicationSpec(Manifests.find(objects, kind, name).orElseThrow());
    }

    private static List<String> arguments(JsonNode spec) {
        return Manifests.JSON.convertValue(spec.path("arguments"), Manifests.JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
    }

    @Test
    void theDevOverlayRendersAValidSmallDeploymentOnAVolume() {
        List<ObjectNode> objects = renderValid("k8s/overlays/dev");
        assertEquals(Map.of("ConfigMap", 2L, "PersistentVolumeClaim", 1L, "Role", 1L, "RoleBinding", 1L,
                "ScheduledSparkApplication", 1L, "ServiceAccount", 2L, "SparkApplication", 1L), kinds(objects));
        objects.forEach(o -> assertEquals("sparknas-dev", o.path("metadata").path("namespace").asText(),
                Manifests.describe(o)));
        JsonNode search = spec(objects, "SparkApplication", "sparknas-search");
        assertEquals("sparknas:0.1.0", search.path("image").asText());
        assertEquals(List.of("search", "--config", "/opt/sparknas/conf/sparknas.conf", "--output", "/results"),
                arguments(search));
        assertEquals(1, search.path("executor").path("instances").asInt());
        JsonNode sweep = spec(objects, "ScheduledSparkApplication", "sparknas-sweep");
        assertEquals("0 */6 * * *", Manifests.find(objects, "ScheduledSparkApplication", "sparknas-sweep")
                .orElseThrow().path("spec").path("schedule").asText());
        assertEquals("OnFailure", sweep.path("restartPolicy").path("type").asText());
        assertEquals(List.of("ReadWriteOnce"), Manifests.JSON.convertValue(Manifests.find(objects,
                "PersistentVolumeClaim", "sparknas-results").orElseThrow().path("spec").path("accessModes"),
                List.class));
        String devSweep = Manifests.find(objects, "ConfigMap", "sparknas-sweep").orElseThrow().path("data")
                .path("sweep.conf").asText();
        assertTrue(devSweep.contains("name = \"dev\""), devSweep);
    }

    @Test
    void theProdOverlayRendersAValidDeploymentWithResultsInS3() {
        List<ObjectNode> objects = renderValid("k8s/overlays/prod");
        assertEquals(Map.of("ConfigMap", 2L, "Role", 1L, "RoleBinding", 1L, "ScheduledSparkApplication", 1L,
                "ServiceAccount", 2L, "SparkApplication", 1L), kinds(objects), "no results claim: results are in S3");
        objects.forEach(o -> assertEquals("sparknas", o.path("metadata").path("namespace").asText(),
                Manifests.describe(o)));
        for (JsonNode spec : List.of(spec(objects, "SparkApplication", "sparknas-search"),
                spec(objects, "ScheduledSparkApplication", "sparknas-sweep"))) {
            assertEquals("registry.example.com/ml/sparknas:0.1.0", spec.path("image").asText());
            List<String> arguments = arguments(spec);
            assertEquals("s3a://sparknas-results/runs", arguments.get(arguments.indexOf("--output") + 1));
            assertFalse(arguments.contains("--supernet"), "each run trains its supernet into its S3 run folder");
            assertEquals("sparknas-s3", spec.path("executor").path("envFrom").get(0).path("secretRef").path("name")
                    .asText());
            assertEquals(6, spec.path("executor").path("instances").asInt());
            assertTrue(spec.path("sparkConf").has("spark.hadoop.fs.s3a.aws.credentials.provider"));
        }
    }

    @Test
    void theBaseAndTheSparkSubmitObjectsRenderValid() throws IOException {
        assertEquals(9, renderValid("k8s/base").size());
        List<ObjectNode> platform = renderValid("k8s/spark-submit");
        assertEquals(Map.of("ConfigMap", 1L, "PersistentVolumeClaim", 1L, "Role", 1L, "RoleBinding", 1L,
                "ServiceAccount", 2L), kinds(platform));
        Problems templates = new Problems();
        for (String template : List.of("driver-pod-template.yaml", "executor-pod-template.yaml")) {
            Manifests.read(ROOT.resolve("k8s/spark-submit").resolve(template))
                    .forEach(pod -> CoreObjects.sparkPodTemplate(pod, templates));
        }
        assertTrue(templates.isEmpty(), templates.toString());
    }

    @Test
    void theResultsReaderPodIsValidBesideTheDevOverlay() throws IOException {
        List<ObjectNode> objects = new java.util.ArrayList<>(Manifests.render(ROOT.resolve("k8s/overlays/dev")));
        List<ObjectNode> reader = Manifests.read(ROOT.resolve("k8s/tools/results-reader.yaml"));
        assertEquals(1, reader.size());
        objects.addAll(reader);
        Problems problems = validator.validate(objects);
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(reader.get(0).path("spec").path("volumes").get(0).path("persistentVolumeClaim").path("readOnly")
                .asBoolean(), "the reader cannot change results");
    }

    @Test
    void theConfigMapHoldsEveryFileOfConfUnchanged() throws IOException {
        JsonNode data = Manifests.find(renderValid("k8s/overlays/dev"), "ConfigMap", "sparknas-conf").orElseThrow()
                .path("data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("conf"))) {
            files = walk.filter(file -> file.toString().endsWith(".conf")).sorted().toList();
        }
        assertEquals(6, files.size(), files.toString());
        assertEquals(files.size(), data.size(), "one entry per conf/ file: " + data.fieldNames());
        for (Path file : files) {
            assertEquals(Files.readString(file), data.path(file.getFileName().toString()).asText(), file.toString());
        }
    }

    @Test
    void theScheduledSweepRunsTheSearchApplicationsSpecButForItsOwnFields() {
        List<ObjectNode> objects = renderValid("k8s/overlays/dev");
        ObjectNode search = (ObjectNode) spec(objects, "SparkApplication", "sparknas-search").deepCopy();
        ObjectNode sweep = (ObjectNode) spec(objects, "ScheduledSparkApplication", "sparknas-sweep").deepCopy();
        for (ObjectNode spec : List.of(search, sweep)) {
            spec.remove(List.of("arguments", "restartPolicy", "volumes"));
            ((ObjectNode) spec.path("driver")).remove(List.of("env", "volumeMounts"));
        }
        assertEquals(search, sweep);
        assertEquals("metadata.labels['sparkoperator.k8s.io/app-name']", spec(objects, "ScheduledSparkApplication",
                "sparknas-sweep").path("driver").path("env").get(0).path("valueFrom").path("fieldRef")
                .path("fieldPath").asText());
    }

    @Test
    void theDriversRoleGrantsOnlyWhatSparkNeedsOnPodsAndConfigMaps() {
        ObjectNode role = Manifests.find(renderValid("k8s/overlays/prod"), "Role", "sparknas-driver").orElseThrow();
        Map<String, List<String>> grants = new TreeMap<>();
        role.path("rules").forEach(rule -> rule.path("resources").forEach(resource -> grants.put(resource.asText(),
                Manifests.JSON.convertValue(rule.path("verbs"), List.class))));
        assertEquals(Map.of(
                "pods", List.of("get", "list", "watch", "create", "patch", "delete", "deletecollection"),
                "configmaps", List.of("get", "list", "watch", "create", "delete", "deletecollection")), grants);
    }
}
