package io.sparknas.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.cli.SparkNas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparknas sweep --emit k8s} writes manifests that pass the same validation as the overlays, applied
 * together with them: from the bundled base template, and from a rendered overlay given as --template (which
 * keeps the overlay's namespace, image, S3 results and credentials); --config and foreign template options are
 * refused.
 */
class EmittedSweepManifestsTest {

    @TempDir
    static Path scratch;

    private static final Path ROOT = Manifests.root();
    private static ManifestValidator validator;

    @BeforeAll
    static void validator() throws IOException {
        validator = new ManifestValidator(ROOT, scratch);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run sparknas(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SparkNas.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    private static List<ObjectNode> emitted(Path dir) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                objects.addAll(Manifests.read(file));
            }
        }
        return objects;
    }

    private static Path sweepSpecOf(List<ObjectNode> overlay, String name) throws IOException {
        Path spec = scratch.resolve(name);
        Files.writeString(spec, Manifests.find(overlay, "ConfigMap", "sparknas-sweep").orElseThrow().path("data")
                .path("sweep.conf").asText());
        return spec;
    }

    private static List<String> arguments(JsonNode application) {
        List<String> arguments = new ArrayList<>();
        application.path("spec").path("arguments").forEach(argument -> arguments.add(argument.asText()));
        return arguments;
    }

    @Test
    void theProdSweepEmittedFromTheRenderedOverlayIsValidAndKeepsItsS3Results() throws IOException {
        List<ObjectNode> prod = Manifests.render(ROOT.resolve("k8s/overlays/prod"));
        Path template = scratch.resolve("prod.yaml");
        StringBuilder yaml = new StringBuilder();
        for (ObjectNode object : prod) {
            yaml.append("---\n").append(new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(object));
        }
        Files.writeString(template, yaml.toString());
        Path dir = scratch.resolve("prod-out");
        Run run = sparknas("sweep", "--spec", sweepSpecOf(prod, "prod-sweep.conf").toString(), "--emit", "k8s",
                dir.toString(), "--template", template.toString(), "--tag", "manual-1");
        assertEquals(0, run.status(), run.err() + run.out());
        assertTrue(run.out().contains("18 SparkApplication manifest(s) in " + dir), run.out());

        List<ObjectNode> applications = emitted(dir);
        assertEquals(18, applications.size());
        List<ObjectNode> together = new ArrayList<>(prod);
        together.addAll(applications);
        Problems problems = validator.validate(together);
        assertTrue(problems.isEmpty(), problems.toString());

        ObjectNode first = Manifests.find(applications, "SparkApplication", "nightly-manual-1-stm32f746-lat0-s1")
                .orElseThrow();
        assertEquals("sparknas", first.path("metadata").path("namespace").asText());
        assertEquals("nightly-manual-1", first.path("metadata").path("labels").path("sparknas.io/sweep").asText());
        assertEquals("registry.example.com/ml/sparknas:0.1.0", first.path("spec").path("image").asText());
        List<String> arguments = arguments(first);
        assertEquals(List.of("search", "--run-id", "nightly-manual-1-stm32f746-lat0-s1", "--target", "stm32f746",
                "--config", "/opt/sparknas/conf/sparknas.conf", "--set", "budgets.latency-ms=0", "--set", "run.seed=1",
                "--output", "s3a://sparknas-results/runs"),
                arguments);
        assertEquals("sparknas-s3", first.path("spec").path("driver").path("envFrom").get(0).path("secretRef")
                .path("name").asText());
    }

    @Test
    void theDevSweepEmittedFromTheBundledTemplateIsValidBesideTheDevOverlay() throws IOException {
        List<ObjectNode> dev = Manifests.render(ROOT.resolve("k8s/overlays/dev"));
        Path dir = scratch.resolve("dev-out");
        Run run = sparknas("sweep", "--spec", sweepSpecOf(dev, "dev-sweep.conf").toString(), "--emit", "k8s",
                dir.toString(), "--image", "sparknas:0.1.0");
        assertEquals(0, run.status(), run.err() + run.out());
        List<ObjectNode> applications = emitted(dir);
        assertEquals(List.of("dev-stm32f746-lat60-s1", "dev-stm32f746-lat80-s1"), applications.stream()
                .map(a -> a.path("metadata").path("name").asText()).toList());
        List<ObjectNode> together = new ArrayList<>(dev);
        together.addAll(applications);
        Problems problems = validator.validate(together);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals("sparknas", applications.get(0).path("metadata").path("labels").path("app.kubernetes.io/name")
                .asText(), "labelled like the overlay's objects");
        List<String> arguments = arguments(applications.get(1));
        assertEquals("/results", arguments.get(arguments.indexOf("--output") + 1));
        assertTrue(arguments.contains("search.population=8") && arguments.contains("budgets.latency-ms=80"),
                arguments.toString());
    }

    @Test
    void aLocalConfigFileAndATemplateOptionThatCannotBeKeptAreRefused() throws IOException {
        List<ObjectNode> dev = Manifests.render(ROOT.resolve("k8s/overlays/dev"));
        Path spec = sweepSpecOf(dev, "refused-sweep.conf");
        Run local = sparknas("sweep", "--spec", spec.toString(), "--emit", "k8s", scratch.resolve("x").toString(),
                "--config", spec.toString());
        assertEquals(SparkNas.BAD_INPUT, local.status(), local.out());
        assertTrue(local.err().contains("emitted runs read the sparknas-conf ConfigMap"), local.err());

        Path template = scratch.resolve("foreign.yaml");
        Files.writeString(template, Files.readString(ROOT.resolve("k8s/base/search-application.yaml"))
                .replace("    - search\n", "    - search\n    - --generations\n    - \"5\"\n"));
        Run foreign = sparknas("sweep", "--spec", spec.toString(), "--emit", "k8s", scratch.resolve("y").toString(),
                "--template", template.toString());
        assertEquals(SparkNas.BAD_INPUT, foreign.status(), foreign.out());
        assertTrue(foreign.err().contains("SparkApplication template " + template + ": spec.arguments: "
                + "'--generations' cannot be kept for every point"), foreign.err());
        assertTrue(Files.notExists(scratch.resolve("y")), "nothing written");
    }
}
