package io.sparknas.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Core Kubernetes objects read into the fabric8 models (kubernetes-model 8.0.0) and checked: the kind and its
 * apiVersion are known, no field is unknown to the model (fabric8 would keep it aside as an additional property and
 * the API server would drop or refuse it), and the rules the API server or the kubelet would otherwise enforce only at
 * deploy time: a pod has containers, a restart policy its controller allows, mounts of declared volumes; a role
 * grants no wildcard and nothing beyond what Spark's driver needs.
 */
final class CoreObjects {

    /** The kinds SparkNAS deploys, with the model and apiVersion of each. */
    static final Map<String, Model> KINDS = Map.of(
            "ServiceAccount", new Model(ServiceAccount.class, "v1"),
            "ConfigMap", new Model(ConfigMap.class, "v1"),
            "Secret", new Model(Secret.class, "v1"),
            "PersistentVolumeClaim", new Model(PersistentVolumeClaim.class, "v1"),
            "Pod", new Model(Pod.class, "v1"),
            "Role", new Model(Role.class, "rbac.authorization.k8s.io/v1"),
            "RoleBinding", new Model(RoleBinding.class, "rbac.authorization.k8s.io/v1"),
            "Job", new Model(Job.class, "batch/v1"),
            "CronJob", new Model(CronJob.class, "batch/v1"),
            "Deployment", new Model(Deployment.class, "apps/v1"));

    /** What a role may grant: Spark's driver manages its executor pods and their ConfigMap, nothing else. */
    static final Set<String> DRIVER_RESOURCES = Set.of("pods", "configmaps");

    private static final Set<String> POD_RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
    private static final Set<String> JOB_RESTART_POLICIES = Set.of("OnFailure", "Never");
    private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
            "ReadWriteOncePod");

    /** A fabric8 model class and the apiVersion its kind is served under. */
    record Model(Class<?> type, String apiVersion) {
    }

    private CoreObjects() {
    }

    /** Checks one core object; every problem names the object and the field. */
    static void check(JsonNode object, Problems problems) {
        String where = Manifests.describe(object);
        Model model = KINDS.get(object.path("kind").asText());
        if (model == null) {
            problems.add(where, "kind", "not a kind SparkNAS deploys (known: " + new java.util.TreeSet<>(KINDS.keySet())
                    + ", SparkApplication, ScheduledSparkApplication)");
            return;
        }
        if (!model.apiVersion().equals(object.path("apiVersion").asText())) {
            problems.add(where, "apiVersion", "'" + object.path("apiVersion").asText() + "', expected '"
                    + model.apiVersion() + "'");
        }
        Object parsed = read(object, model.type(), where, "", problems);
        if (parsed == null) {
            return;
        }
        if (parsed instanceof Pod pod) {
            podSpec(pod.getSpec(), where, "spec", POD_RESTART_POLICIES, false, true, problems);
        } else if (parsed instanceof Job job) {
            podSpec(job.getSpec() == null || job.getSpec().getTemplate() == null ? null
                    : job.getSpec().getTemplate().getSpec(), where, "spec.template.spec", JOB_RESTART_POLICIES, true,
                    true, problems);
        } else if (parsed instanceof CronJob cronJob) {
            var jobSpec = cronJob.getSpec() == null ? null : cronJob.getSpec().getJobTemplate();
            podSpec(jobSpec == null || jobSpec.getSpec() == null || jobSpec.getSpec().getTemplate() == null ? null
                    : jobSpec.getSpec().getTemplate().getSpec(), where, "spec.jobTemplate.spec.template.spec",
                    JOB_RESTART_POLICIES, true, true, problems);
        } else if (parsed instanceof Deployment deployment) {
            podSpec(deployment.getSpec() == null || deployment.getSpec().getTemplate() == null ? null
                    : deployment.getSpec().getTemplate().getSpec(), where, "spec.template.spec", Set.of("Always"),
                    false, true, problems);
        } else if (parsed instanceof Role role) {
            role(role, where, problems);
        } else if (parsed instanceof RoleBinding binding) {
            if (!"Role".equals(binding.getRoleRef().getKind())) {
                problems.add(where, "roleRef.kind", "'" + binding.getRoleRef().getKind() + "': bind a namespaced Role, "
                        + "never a ClusterRole");
            }
        } else if (parsed instanceof PersistentVolumeClaim claim) {
            List<String> modes = claim.getSpec() == null ? List.of() : claim.getSpec().getAccessModes();
            if (modes.isEmpty()) {
                problems.add(where, "spec.accessModes", "missing");
            }
            modes.stream().filter(mode -> !ACCESS_MODES.contains(mode)).forEach(mode -> problems.add(where,
                    "spec.accessModes", "'" + mode + "' is not one of " + ACCESS_MODES));
            if (claim.getSpec() == null || claim.getSpec().getResources() == null
                    || claim.getSpec().getResources().getRequests() == null
                    || !claim.getSpec().getResources().getRequests().containsKey("storage")) {
                problems.add(where, "spec.resources.requests.storage", "missing");
            }
        }
    }

    /**
     * A Spark pod template (spark.kubernetes.driver|executor.podTemplateFile): a Pod whose containers Spark completes
     * with image, command and resources, and always runs with restartPolicy Never.
     */
    static void sparkPodTemplate(JsonNode object, Problems problems) {
        String where = Manifests.describe(object) + " (Spark pod template)";
        if (!"Pod".equals(object.path("kind").asText()) || !"v1".equals(object.path("apiVersion").asText())) {
            problems.add(where, "kind", "a Spark pod template is a v1 Pod");
            return;
        }
        Pod pod = read(object, Pod.class, where, "", problems);
        if (pod != null) {
            podSpec(pod.getSpec(), where, "spec", Set.of("Never"), false, false, problems);
        }
    }

    /**
     * Reads {@code node} into a fabric8 model and reports every field the model does not know, as a path under
     * {@code field}; null when the node does not even have the model's shape.
     */
    static <T> T read(JsonNode node, Class<T> type, String where, String field, Problems problems) {
        T model;
        try {
            model = Manifests.JSON.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problems.add(where, field.isEmpty() ? "(object)" : field, "not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
            return null;
        } catch (IllegalArgumentException e) {
            problems.add(where, field.isEmpty() ? "(object)" : field, "not a " + type.getSimpleName() + ": "
                    + e.getMessage());
            return null;
        }
        unknownFields(model, field, where, problems);
        return model;
    }

    /**
     * The pod rules: at least one container, each named, names unique, mounts of declared volumes, a restart
     * policy among {@code restartPolicies} (and set, where {@code policyRequired}), images where
     * {@code imageRequired}.
     */
    static void podSpec(PodSpec spec, String where, String field, Set<String> restartPolicies, boolean policyRequired,
                        boolean imageRequired, Problems problems) {
        if (spec == null) {
            problems.add(where, field, "missing");
            return;
        }
        if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
            problems.add(where, field + ".containers", "no containers: a pod needs at least one");
        }
        String policy = spec.getRestartPolicy();
        if (policy != null && !restartPolicies.contains(policy)) {
            problems.add(where, field + ".restartPolicy", "'" + policy + "' is not allowed here (allowed: "
                    + new java.util.TreeSet<>(restartPolicies) + ")");
        }
        if (policy == null && policyRequired) {
            problems.add(where, field + ".restartPolicy", "missing (the default, Always, is not allowed here: "
                    + new java.util.TreeSet<>(restartPolicies) + ")");
        }
        Set<String> volumes = new HashSet<>();
        for (Volume volume : spec.getVolumes()) {
            volumes.add(volume.getName());
        }
        Set<String> names = new HashSet<>();
        List<Container> all = new java.util.ArrayList<>(spec.getContainers());
        all.addAll(spec.getInitContainers());
        for (int i = 0; i < all.size(); i++) {
            Container container = all.get(i);
            String at = field + (i < spec.getContainers().size() ? ".containers[" + i + "]"
                    : ".initContainers[" + (i - spec.getContainers().size()) + "]");
            if (container.getName() == null || container.getName().isBlank()) {
                problems.add(where, at + ".name", "missing");
            } else if (!names.add(container.getName())) {
                problems.add(where, at + ".name", "'" + container.getName() + "' is used twice");
            }
            if (imageRequired && (container.getImage() == null || container.getImage().isBlank())) {
                problems.add(where, at + ".image", "missing");
            }
            for (VolumeMount mount : container.getVolumeMounts()) {
                if (!volumes.contains(mount.getName())) {
                    problems.add(where, at + ".volumeMounts", "'" + mount.getName() + "' is not a volume of the pod "
                            + "(volumes: " + new java.util.TreeSet<>(volumes) + ")");
                }
            }
        }
    }

    private static void role(Role role, String where, Problems problems) {
        for (int i = 0; i < role.getRules().size(); i++) {
            PolicyRule rule = role.getRules().get(i);
            String at = "rules[" + i + "]";
            for (String list : List.of("apiGroups", "resources", "verbs")) {
                List<String> values = switch (list) {
                    case "apiGroups" -> rule.getApiGroups();
                    case "resources" -> rule.getResources();
                    default -> rule.getVerbs();
                };
                if (values.contains("*")) {
                    problems.add(where, at + "." + list, "'*' grants everything; list what the driver needs");
                }
                if (values.isEmpty() && !list.equals("apiGroups")) {
                    problems.add(where, at + "." + list, "empty");
                }
            }
            for (String resource : rule.getResources()) {
                if (!DRIVER_RESOURCES.contains(resource.toLowerCase(Locale.ROOT))) {
                    problems.add(where, at + ".resources", "'" + resource + "' is more than Spark's driver needs "
                            + "(allowed: " + new java.util.TreeSet<>(DRIVER_RESOURCES) + ")");
                }
            }
            if (!rule.getApiGroups().equals(List.of(""))) {
                problems.add(where, at + ".apiGroups", rule.getApiGroups() + ": the driver needs the core group only");
            }
        }
    }

    /**
     * Walks a fabric8 model and reports what it holds as additional properties: the fields of the input it has no
     * property for. Written by hand because fabric8 keeps unknown fields instead of failing on them.
     */
    private static void unknownFields(Object model, String path, String where, Problems problems) {
        if (model == null) {
            return;
        }
        if (model instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", where, problems);
            }
            return;
        }
        if (model instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, where, problems));
            return;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(model);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> problems.add(where, (path.isEmpty() ? "" : path + ".") + key,
                            "unknown field (not in " + model.getClass().getSimpleName() + ")"));
                }
                continue;
            }
            String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(value, path.isEmpty() ? property : path + "." + property, where, problems);
        }
    }
}
