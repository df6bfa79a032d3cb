package io.sparknas.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation rejects broken manifests, each with a message naming the object and the field: the dev overlay,
 * rendered once, is broken one way per case (no containers, a wrong restart policy, an unknown field, an argument
 * or key the application does not know, a reference to nothing, too broad a role) and validated again.
 */
class BrokenManifestsTest {

    @TempDir
    static Path scratch;

    private static final Path ROOT = Manifests.root();
    private static ManifestValidator validator;
    private static List<ObjectNode> dev;

    @BeforeAll
    static void renderDev() throws IOException {
        validator = new ManifestValidator(ROOT, scratch);
        dev = Manifests.render(ROOT.resolve("k8s/overlays/dev"));
        assertTrue(validator.validate(dev).isEmpty(), validator.validate(dev).toString());
    }

    /** Breaks one object of a fresh copy of the dev overlay and asserts that validation reports {@code expected}. */
    private static void rejected(String kind, String name, Consumer<ObjectNode> breakIt, String... expected) {
        List<ObjectNode> objects = Manifests.copy(dev);
        breakIt.accept(Manifests.find(objects, kind, name).orElseThrow());
        String problems = validator.validate(objects).toString();
        for (String part : expected) {
            assertTrue(problems.contains(part), "expected '" + part + "' in:\n" + problems);
        }
    }

    private static ObjectNode search(ObjectNode application) {
        return (ObjectNode) application.path("spec");
    }

    private static ArrayNode arguments(ObjectNode application) {
        return (ArrayNode) application.path("spec").path("arguments");
    }

    @Test
    void aPodWithoutContainersIsRejected() throws IOException {
        ObjectNode template = Manifests.read(ROOT.resolve("k8s/spark-submit/driver-pod-template.yaml")).get(0);
        ((ObjectNode) template.path("spec")).putArray("containers");
        Problems problems = new Problems();
        CoreObjects.sparkPodTemplate(template, problems);
        assertTrue(problems.toString().contains("Pod ? (Spark pod template): spec.containers: no containers"),
                problems.toString());

        ObjectNode reader = Manifests.read(ROOT.resolve("k8s/tools/results-reader.yaml")).get(0);
        ((ObjectNode) reader.path("spec")).putArray("containers");
        Problems readerProblems = new Problems();
        CoreObjects.check(reader, readerProblems);
        assertTrue(readerProblems.toString().contains("Pod sparknas-results-reader: spec.containers: no containers"),
                readerProblems.toString());

        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("driver"))
                .putObject("template").putObject("spec").putArray("containers"),
                "SparkApplication sparknas-search: spec.driver.template.spec.containers: no containers");
    }

    @Test
    void aWrongRestartPolicyIsRejected() throws IOException {
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("restartPolicy"))
                .put("type", "Sometimes"), "SparkApplication sparknas-search: /spec/restartPolicy/type:");
        rejected("ScheduledSparkApplication", "sparknas-sweep", app -> ((ObjectNode) app.path("spec")
                .path("template").path("restartPolicy")).put("type", "Never"),
                "ScheduledSparkApplication sparknas-sweep: /spec/template/restartPolicy:");
        ObjectNode reader = Manifests.read(ROOT.resolve("k8s/tools/results-reader.yaml")).get(0);
        ((ObjectNode) reader.path("spec")).put("restartPolicy", "Sometimes");
        Problems readerProblems = new Problems();
        CoreObjects.check(reader, readerProblems);
        assertTrue(readerProblems.toString().contains("Pod sparknas-results-reader: spec.restartPolicy: 'Sometimes' is "
                + "not allowed here"), readerProblems.toString());

        ObjectNode template = Manifests.read(ROOT.resolve("k8s/spark-submit/executor-pod-template.yaml")).get(0);
        ((ObjectNode) template.path("spec")).put("restartPolicy", "Always");
        Problems problems = new Problems();
        CoreObjects.sparkPodTemplate(template, problems);
        assertTrue(problems.toString().contains("spec.restartPolicy: 'Always' is not allowed here (allowed: [Never])"),
                problems.toString());
    }

    @Test
    void anUnknownFieldInASparkApplicationSpecIsRejected() {
        rejected("SparkApplication", "sparknas-search", app -> search(app).put("driverMemory", "4g"),
                "SparkApplication sparknas-search: /spec: property 'driverMemory' is not defined in the schema");
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("executor"))
                .put("replicas", 3), "SparkApplication sparknas-search: /spec/executor: property 'replicas'");
        rejected("ScheduledSparkApplication", "sparknas-sweep", app -> ((ObjectNode) app.path("spec"))
                .put("cron", "@daily"), "ScheduledSparkApplication sparknas-sweep: /spec: property 'cron'");
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("driver")
                .path("volumeMounts").get(0)).put("mountpath", "/x"),
                "SparkApplication sparknas-search: spec.driver.volumeMounts[0].mountpath: unknown field");
    }

    @Test
    void anArgumentOrKeyTheApplicationDoesNotKnowIsRejected() {
        rejected("SparkApplication", "sparknas-search", app -> arguments(app).add("--frobnicate").add("5"),
                "SparkApplication sparknas-search: spec.arguments: 'sparknas search --config "
                        + "/opt/sparknas/conf/sparknas.conf --output /results --frobnicate 5' is refused by the "
                        + "command line: Unknown options: '--frobnicate', '5'");
        rejected("SparkApplication", "sparknas-search", app -> arguments(app).add("--set")
                .add("search.generationz=5"), "is refused by the command line", "search.generationz");
        rejected("SparkApplication", "sparknas-search", app -> arguments(app).add("--population").add("-3"),
                "is refused by the command line", "search.population");
        rejected("SparkApplication", "sparknas-search", app -> arguments(app).set(0, "serch"),
                "is refused by the command line: Unmatched arguments");
        rejected("SparkApplication", "sparknas-search", app -> arguments(app).set(2,
                "/opt/sparknas/conf/site.conf"), "spec.arguments: --config /opt/sparknas/conf/site.conf: not a file "
                        + "of a ConfigMap mounted in the driver");
        rejected("ConfigMap", "sparknas-sweep", sweep -> ((ObjectNode) sweep.path("data")).put("sweep.conf",
                "sweep { name = dev, targets = [stm32f746], latency-ms = [60], seeds = [1], set { search.populaton "
                        + "= 4 } }"), "ScheduledSparkApplication sparknas-sweep: spec.template.arguments:",
                "sweep.set.search.populaton: unknown configuration key");
        rejected("ConfigMap", "sparknas-conf", conf -> ((ObjectNode) conf.path("data")).put("sparknas.conf",
                "search { population = -3 }"), "search.population");
    }

    @Test
    void wrongApplicationFactsAreRejected() {
        rejected("SparkApplication", "sparknas-search", app -> search(app).put("mainClass", "io.sparknas.Main"),
                "spec.mainClass: 'io.sparknas.Main', expected 'io.sparknas.cli.SparkNas'");
        rejected("SparkApplication", "sparknas-search", app -> search(app).put("sparkVersion", "3.5.1"),
                "spec.sparkVersion: '3.5.1', expected '4.1.3'");
        rejected("SparkApplication", "sparknas-search", app -> search(app).put("mainApplicationFile",
                "local:///opt/spark/app.jar"), "spec.mainApplicationFile: 'local:///opt/spark/app.jar', expected "
                        + "'local:///opt/sparknas/sparknas-app.jar'");
        rejected("SparkApplication", "sparknas-search", app -> search(app).put("image", "sparknas:latest"),
                "spec.image: 'sparknas:latest' has no pinned tag");
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("executor"))
                .put("javaOptions", "-Xss4m"), "spec.executor.javaOptions: lacks --add-opens=java.base/java.lang=");
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("executor"))
                .remove("volumeMounts"), "spec.executor.volumeMounts: results folder /results is not on a writable "
                        + "volume of the executor");
    }

    @Test
    void brokenReferencesAndTooBroadARoleAreRejected() {
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("volumes").get(0)
                .path("configMap")).put("name", "sparknas-config"),
                "spec.volumes: no ConfigMap 'sparknas-config' among [sparknas-conf, sparknas-sweep]");
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("executor"))
                .put("serviceAccount", "sparknas-driver"), "spec.executor.serviceAccount: 'sparknas-driver' mounts an "
                        + "API token");
        rejected("SparkApplication", "sparknas-search", app -> ((ObjectNode) search(app).path("driver")
                .path("volumeMounts").get(0)).put("name", "config"),
                "spec.driver.volumeMounts: 'config' is not among spec.volumes [conf, results]");
        rejected("Role", "sparknas-driver", role -> ((ArrayNode) role.path("rules").get(0).path("verbs")).add("*"),
                "Role sparknas-driver: rules[0].verbs: '*' grants everything");
        rejected("Role", "sparknas-driver", role -> ((ArrayNode) role.path("rules").get(1).path("resources"))
                .add("secrets"), "Role sparknas-driver: rules[1].resources: 'secrets' is more than Spark's driver needs");
        rejected("Role", "sparknas-driver", role -> ((ObjectNode) role.path("rules").get(0)).set("verb",
                role.path("rules").get(0).path("verbs")), "Role sparknas-driver: rules[0].verb: unknown field");
        rejected("RoleBinding", "sparknas-driver", binding -> ((ObjectNode) binding.path("roleRef"))
                .put("kind", "ClusterRole"), "RoleBinding sparknas-driver: roleRef.kind: 'ClusterRole'");
        rejected("PersistentVolumeClaim", "sparknas-results", claim -> ((ObjectNode) claim.path("spec"))
                .putArray("accessModes").add("ReadWriteAll"), "spec.accessModes: 'ReadWriteAll' is not one of");
    }
}
