package io.sparknas.search;

import io.sparknas.run.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder on a cluster file system: Hadoop's viewfs:// (a scheme of its own, as s3a:// or hdfs://, mounted here
 * onto a temporary folder). The search trains its supernet through a local copy and stores it in the run folder,
 * final training stores its teacher there, a later finalize, with the local copies gone, fetches both back, and the
 * report is written there too.
 */
class RemoteRunFolderTest {

    @TempDir
    Path dir;

    @AfterEach
    void stopSpark() {
        TinySearch.stopSpark();
    }

    @Test
    void supernetAndTeacherOfARunOnAClusterFileSystemAreKeptInItsRunFolder() throws IOException {
        Path backing = Files.createDirectories(dir.resolve("backing"));
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.viewfs.mounttable.sparknas.link./results", backing.toUri().toString())
                .getOrCreate();
        String output = "viewfs://sparknas/results";
        String[] teacher = {"--set", "final.epochs=1", "--set", "final.teacher.epochs=1", "--set",
            "final.teacher.dim=16", "--set", "final.teacher.depth=1", "--set", "final.teacher.heads=2", "--set",
            "final.baseline=false"};
        String[] search = {"search", "--output", output, "--run-id", "remote", "--population", "4", "--generations",
            "0", "--set", "supernet.epochs=1", "--set", "space.resolutions=[64]",
            "--set", "space.widths=[0.3]", "--set", "space-selection.samples-per-cell=50"};
        TinySearch.Result searched = TinySearch.runFinalizingAfterSearch(concat(search, teacher));
        assertEquals(0, searched.status(), searched.err() + searched.out());
        assertTrue(searched.out().contains("supernet: 1 epochs of"), "trained, not given: " + searched.out());
        Path run = backing.resolve("remote");
        assertTrue(Files.size(run.resolve("supernet/supernet.ckpt")) > 1000, "the supernet is in the run folder");
        assertTrue(Files.isRegularFile(run.resolve("teacher/teacher.zip")), "the teacher is in the run folder");
        assertTrue(Files.isRegularFile(run.resolve("teacher/teacher.json")));
        assertEquals(1, SparkSession.active().read().parquet(output + "/remote/" + Run.FINAL_MODELS).count());
        Path log = run.resolve("logs/driver.log");
        assertTrue(Files.isRegularFile(log), "the log is stored in the run folder");
        long searchLog = Files.size(log);
        assertTrue(Files.readString(log).contains("generation 0/0"), "it holds the search's progress");
        assertTrue(searched.out().strip().endsWith("log: " + output + "/remote/logs/driver.log"), searched.out());

        deleteLocalCopies();
        TinySearch.Result finalized = TinySearch.run(concat(new String[] {"finalize", "--run", "remote", "--output",
            output, "--set", "final.init=inherited", "--set", "space.resolutions=[64]", "--set", "space.widths=[0.3]"},
                teacher));
        assertEquals(0, finalized.status(), finalized.err() + finalized.out());
        assertTrue(finalized.out().contains("teacher.zip (trained earlier)"), "fetched from the run folder: "
                + finalized.out());
        assertFalse(finalized.out().contains("training a ViT"), finalized.out());
        assertEquals("inherited", SparkSession.active().read().parquet(output + "/remote/" + Run.FINAL_MODELS)
                .select("init").first().getString(0));
        assertTrue(Files.size(log) > searchLog && Files.readString(log).contains("generation 0/0")
                && Files.readString(log).contains("teacher.zip (trained earlier)"), "finalize continued the run's log");

        TinySearch.Result report = TinySearch.run("report", "--run", "remote", "--output", output);
        assertEquals(0, report.status(), report.err() + report.out());
        assertTrue(Files.readString(run.resolve("report.html")).contains("<html"), "the report is in the run folder");
    }

    private static void deleteLocalCopies() throws IOException {
        Path copies = Path.of(System.getProperty("java.io.tmpdir"), "sparknas-driver-folders");
        if (Files.isDirectory(copies)) {
            try (var walk = Files.walk(copies)) {
                for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
