package io.sparknas.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates a set of Kubernetes objects as they would be applied together (a rendered overlay, plus emitted sweep
 * manifests): each object by its kind (core kinds through the fabric8 models, the Spark operator's through our schema
 * and the application checks), then the references between them: ConfigMaps, claims and service accounts named by
 * the applications exist, the driver's account is bound to a role, the executors' account carries no API token.
 */
final class ManifestValidator {

    private final SparkOperatorResources operator;
    private final ApplicationConsistency application;

    ManifestValidator(Path root, Path scratch) throws IOException {
        this.operator = new SparkOperatorResources(root);
        this.application = new ApplicationConsistency(BuildFacts.read(root), scratch);
    }

    Problems validate(List<ObjectNode> objects) {
        Problems problems = new Problems();
        Set<String> identities = new HashSet<>();
        for (ObjectNode object : objects) {
            String identity = object.path("kind").asText() + "/" + object.path("metadata").path("namespace").asText()
                    + "/" + object.path("metadata").path("name").asText();
            if (!identities.add(identity)) {
                problems.add(Manifests.describe(object), "metadata.name", "declared twice");
            }
            if (SparkOperatorResources.isSparkOperatorKind(object)) {
                operator.check(object, problems);
                application.check(object, objects, problems);
            } else {
                CoreObjects.check(object, problems);
            }
        }
        references(objects, problems);
        return problems;
    }

    private static void references(List<ObjectNode> objects, Problems problems) {
        Set<String> configMaps = names(objects, "ConfigMap");
        Set<String> claims = names(objects, "PersistentVolumeClaim");
        Set<String> accounts = names(objects, "ServiceAccount");
        Set<String> roles = names(objects, "Role");
        Set<String> boundAccounts = new HashSet<>();
        for (ObjectNode binding : Manifests.ofKind(objects, "RoleBinding")) {
            String where = Manifests.describe(binding);
            String role = binding.path("roleRef").path("name").asText();
            if (!roles.contains(role)) {
                problems.add(where, "roleRef.name", "no Role '" + role + "' among " + roles);
            }
            for (JsonNode subject : binding.path("subjects")) {
                String account = subject.path("name").asText();
                if (subject.path("kind").asText().equals("ServiceAccount") && !accounts.contains(account)) {
                    problems.add(where, "subjects", "no ServiceAccount '" + account + "' among " + accounts);
                }
                boundAccounts.add(account);
            }
        }
        for (ObjectNode pod : Manifests.ofKind(objects, "Pod")) {
            String where = Manifests.describe(pod);
            for (JsonNode volume : pod.path("spec").path("volumes")) {
                String claim = volume.path("persistentVolumeClaim").path("claimName").asText(null);
                if (claim != null && !claims.contains(claim)) {
                    problems.add(where, "spec.volumes", "no PersistentVolumeClaim '" + claim + "' among " + claims);
                }
            }
            String account = pod.path("spec").path("serviceAccountName").asText(null);
            if (account != null && !accounts.contains(account)) {
                problems.add(where, "spec.serviceAccountName", "no ServiceAccount '" + account + "' among " + accounts);
            }
        }
        for (ObjectNode object : objects) {
            if (!SparkOperatorResources.isSparkOperatorKind(object)) {
                continue;
            }
            String where = Manifests.describe(object);
            JsonNode spec = SparkOperatorResources.applicationSpec(object);
            String at = SparkOperatorResources.specPath(object);
            for (JsonNode volume : spec.path("volumes")) {
                String configMap = volume.path("configMap").path("name").asText(null);
                if (configMap != null && !configMaps.contains(configMap)) {
                    problems.add(where, at + ".volumes", "no ConfigMap '" + configMap + "' among " + configMaps);
                }
                String claim = volume.path("persistentVolumeClaim").path("claimName").asText(null);
                if (claim != null && !claims.contains(claim)) {
                    problems.add(where, at + ".volumes", "no PersistentVolumeClaim '" + claim + "' among " + claims);
                }
            }
            String driver = spec.path("driver").path("serviceAccount").asText("");
            if (!accounts.contains(driver)) {
                problems.add(where, at + ".driver.serviceAccount", "no ServiceAccount '" + driver + "' among "
                        + accounts);
            } else if (!boundAccounts.contains(driver)) {
                problems.add(where, at + ".driver.serviceAccount", "'" + driver + "' is bound to no Role: the driver "
                        + "could not create its executors");
            }
            String executor = spec.path("executor").path("serviceAccount").asText("");
            if (!accounts.contains(executor)) {
                problems.add(where, at + ".executor.serviceAccount", "no ServiceAccount '" + executor + "' among "
                        + accounts + " (executors need no API access: give them an account without a token)");
            } else {
                Manifests.find(objects, "ServiceAccount", executor)
                        .filter(account -> account.path("automountServiceAccountToken").asBoolean(true))
                        .ifPresent(account -> problems.add(where, at + ".executor.serviceAccount", "'" + executor
                                + "' mounts an API token; executors call no Kubernetes API"));
                if (boundAccounts.contains(executor)) {
                    problems.add(where, at + ".executor.serviceAccount", "'" + executor + "' is bound to a Role; "
                            + "executors need none");
                }
            }
        }
    }

    private static Set<String> names(List<ObjectNode> objects, String kind) {
        return Manifests.ofKind(objects, kind).stream().map(o -> o.path("metadata").path("name").asText())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
