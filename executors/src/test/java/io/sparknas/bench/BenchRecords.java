package io.sparknas.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What the benchmarks' records and caches share: where a record was measured, how a cached unit is named. */
final class BenchRecords {

    private BenchRecords() {
    }

    /** The commit of the working directory's checkout, or {@code unknown}. */
    static String gitRevision() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String revision = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? revision : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * A new record holding what every benchmark record starts with: the benchmark's name, the command that ran it
     * ({@code script} and its arguments), the date, the git revision and the cores.
     */
    static com.fasterxml.jackson.databind.node.ObjectNode header(String benchmark, String script, String[] args) {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        root.put("benchmark", benchmark);
        root.put("command", script + " " + String.join(" ", args));
        root.put("date", java.time.Instant.now().toString());
        root.put("git_revision", gitRevision());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        return root;
    }

    /** A short key for a cached unit: the first 6 bytes of the SHA-256 of {@code text}, in hex. */
    static String fingerprint(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The mean of {@code values}; NaN when there are none. */
    static double mean(java.util.List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The sample standard deviation of {@code values}; 0 for fewer than two. */
    static double std(java.util.List<Double> values) {
        double m = mean(values);
        double sum = values.stream().mapToDouble(v -> (v - m) * (v - m)).sum();
        return values.size() > 1 ? Math.sqrt(sum / (values.size() - 1)) : 0;
    }
}
