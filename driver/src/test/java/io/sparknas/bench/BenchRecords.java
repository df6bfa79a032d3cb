package io.sparknas.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What every benchmark record of the driver's benchmarks states about where it was measured. */
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
}
