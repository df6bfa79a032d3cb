package io.sparknas.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The repository's Kubernetes manifests as JSON trees: a kustomization rendered by kubectl, or YAML files. */
final class Manifests {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** The repository root: Maven runs this module's tests in k8s-check/. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("k8s")) ? here : here.getParent();
    }

    /** {@code kubectl kustomize DIR}, parsed; fails naming kubectl's own message when it refuses to render. */
    static List<ObjectNode> render(Path kustomization) {
        ProcessBuilder builder = new ProcessBuilder("kubectl", "kustomize", kustomization.toString());
        builder.redirectErrorStream(false);
        try {
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("kubectl not found: rendering k8s/ needs kubectl (with its built-in "
                        + "kustomize) on the PATH", e);
            }
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: "
                        + new String(err, StandardCharsets.UTF_8).strip());
            }
            return parse(new String(out, StandardCharsets.UTF_8), "kubectl kustomize " + kustomization);
        } catch (IOException e) {
            throw new IllegalStateException("kubectl kustomize " + kustomization + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomization, e);
        }
    }

    /** The objects of a YAML file (one or many documents). */
    static List<ObjectNode> read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** The objects of YAML text; a document that is not an object is refused, naming {@code origin}. */
    static List<ObjectNode> parse(String yaml, String origin) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                if (!(document instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(origin + ": a document is not an object: " + document);
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": not YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    /** "Kind name", for messages. */
    static String describe(JsonNode object) {
        return object.path("kind").asText("?") + " " + object.path("metadata").path("name").asText("?");
    }

    /** The object of this kind and name. */
    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                && name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    /** Every object of this kind. */
    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** Deep copies, so that a test can break one without touching the others. */
    static List<ObjectNode> copy(List<ObjectNode> objects) {
        return objects.stream().map(ObjectNode::deepCopy).toList();
    }
}
