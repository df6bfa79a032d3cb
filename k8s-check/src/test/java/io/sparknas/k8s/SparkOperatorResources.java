package io.sparknas.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Kubeflow Spark operator's resources, SparkApplication and ScheduledSparkApplication: the whole object
 * against our JSON schema ({@code k8s/schema/spark-operator-v1beta2.schema.json}, closed, so an unknown field is an
 * error), then the core Kubernetes objects nested in the application spec (volumes, mounts, environment, security
 * contexts, sidecars, pod templates) against the fabric8 models, and each mount against the declared volumes.
 */
final class SparkOperatorResources {

    static final Path SCHEMA = Path.of("k8s", "schema", "spark-operator-v1beta2.schema.json");

    /** The nested core fields of a driver or executor, with their fabric8 model (lists: the model of an item). */
    private static final Map<String, Class<?>> POD_FIELDS = Map.of(
            "volumeMounts", VolumeMount.class,
            "env", EnvVar.class,
            "envFrom", EnvFromSource.class,
            "podSecurityContext", PodSecurityContext.class,
            "securityContext", SecurityContext.class,
            "sidecars", Container.class,
            "initContainers", Container.class,
            "tolerations", Toleration.class,
            "affinity", Affinity.class);

    private final Schema schema;

    SparkOperatorResources(Path root) {
        try (InputStream in = Files.newInputStream(root.resolve(SCHEMA))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA, e);
        }
    }

    static boolean isSparkOperatorKind(JsonNode object) {
        String kind = object.path("kind").asText();
        return kind.equals("SparkApplication") || kind.equals("ScheduledSparkApplication");
    }

    /** The application spec inside a SparkApplication or a ScheduledSparkApplication's template. */
    static JsonNode applicationSpec(JsonNode object) {
        return object.path("kind").asText().equals("ScheduledSparkApplication")
                ? object.path("spec").path("template") : object.path("spec");
    }

    /** The path of the application spec, for messages. */
    static String specPath(JsonNode object) {
        return object.path("kind").asText().equals("ScheduledSparkApplication") ? "spec.template" : "spec";
    }

    void check(JsonNode object, Problems problems) {
        String where = Manifests.describe(object);
        String json;
        try {
            json = Manifests.JSON.writeValueAsString(object);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (Error error : schema.validate(json, InputFormat.JSON)) {
            String location = error.getInstanceLocation().toString();
            problems.add(where, location.isEmpty() ? "(object)" : location, error.getMessage());
        }
        JsonNode spec = applicationSpec(object);
        String at = specPath(object);
        Set<String> volumes = new HashSet<>();
        JsonNode declared = spec.path("volumes");
        for (int i = 0; i < declared.size(); i++) {
            Volume volume = CoreObjects.read(declared.get(i), Volume.class, where, at + ".volumes[" + i + "]",
                    problems);
            if (volume != null) {
                volumes.add(volume.getName());
            }
        }
        for (String role : new String[] {"driver", "executor"}) {
            JsonNode pod = spec.path(role);
            String podAt = at + "." + role;
            POD_FIELDS.forEach((field, model) -> {
                JsonNode value = pod.path(field);
                if (value.isArray()) {
                    for (int i = 0; i < value.size(); i++) {
                        CoreObjects.read(value.get(i), model, where, podAt + "." + field + "[" + i + "]", problems);
                    }
                } else if (value.isObject()) {
                    CoreObjects.read(value, model, where, podAt + "." + field, problems);
                }
            });
            for (JsonNode mount : pod.path("volumeMounts")) {
                String name = mount.path("name").asText();
                if (!volumes.contains(name)) {
                    problems.add(where, podAt + ".volumeMounts", "'" + name + "' is not among " + at
                            + ".volumes " + new java.util.TreeSet<>(volumes));
                }
            }
            for (String containers : new String[] {"sidecars", "initContainers"}) {
                JsonNode list = pod.path(containers);
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).path("image").asText().isBlank()) {
                        problems.add(where, podAt + "." + containers + "[" + i + "].image", "missing");
                    }
                }
            }
            if (pod.has("template")) {
                PodTemplateSpec template = CoreObjects.read(pod.path("template"), PodTemplateSpec.class, where,
                        podAt + ".template", problems);
                if (template != null) {
                    CoreObjects.podSpec(template.getSpec(), where, podAt + ".template.spec", Set.of("Never"), false,
                            false, problems);
                }
            }
        }
    }
}
