package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cli.SparkNas;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny supernet training and search through a real Spark standalone cluster: a master and two workers of one core
 * each started as their own JVMs on 127.0.0.1 from the Maven jars, the workers' SPARK_HOME a folder whose
 * {@code jars/} holds this test's classpath (class folders packed as jars), the driver in this JVM. The supernet's
 * first epoch runs its steps' two shards on the two workers' executors, its second resumes on {@code local[1]};
 * then candidates are scored on the cluster's executors.
 */
class StandaloneClusterTest {

    private static final String[] SPARK_PROPERTIES = {"spark.executor.extraJavaOptions", "spark.executor.memory",
        "spark.driver.host", "spark.driver.bindAddress", "spark.executor.cores", "spark.cores.max",
        "spark.extraListeners"};

    @TempDir
    Path dir;

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        SparkSession.getActiveSession().foreach(session -> {
            session.stop();
            return null;
        });
        for (String key : SPARK_PROPERTIES) {
            System.clearProperty(key);
        }
        for (Process daemon : daemons) {
            daemon.destroy();
        }
    }

    @Test
    void aSupernetTrainsAcrossTwoWorkersResumesLocallyAndASearchRunsOnTheCluster() throws Exception {
        Path sparkHome = sparkHome();
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String opens = opens();
        daemons.add(start(List.of(java, "-Xmx512m", opens, "-cp", System.getProperty("java.class.path"),
                "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
                "--webui-port", Integer.toString(freePort())), sparkHome, "master.log"));
        waitForPort(masterPort);
        for (int worker = 1; worker <= 2; worker++) {
            daemons.add(start(List.of(java, "-Xmx512m", opens, "-cp", System.getProperty("java.class.path"),
                    "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "3g",
                    "--webui-port", Integer.toString(freePort()), "--work-dir", dir.resolve("work-" + worker).toString(),
                    master), sparkHome, "worker-" + worker + ".log"));
        }

        System.setProperty("spark.executor.extraJavaOptions", opens);
        System.setProperty("spark.executor.memory", "2g");
        System.setProperty("spark.executor.cores", "1");
        System.setProperty("spark.cores.max", "2");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.extraListeners", TaskExecutors.class.getName());
        TaskExecutors.clear();
        Path checkpoint = dir.resolve("supernet");
        String[] tiny = {"--set", "data.synthetic.train=32", "--set", "data.synthetic.val=12", "--set",
            "data.synthetic.test=4", "--set", "data.synthetic.image-size=64", "--set", "supernet.batch-size=16",
            "--set", "supernet.random-subnets=1", "--set", "supernet.recalibration-batches=1", "--set", "spark.ui=false",
            "--set", "final.after-search=false"};
        String cluster = "spark.master=\"" + master + "\"";
        String[] trained = run(tiny, "supernet", "train", "--out", checkpoint.toString(), "--epochs", "1",
                "--resolution", "64", "--width", "0.3", "--set", cluster);
        assertEquals("", trained[0], trained[1] + logs());
        assertTrue(trained[1].contains("supernet epoch 1/1") && trained[1].contains("2 shard(s)"), trained[1]);
        assertEquals(2, TaskExecutors.seen().size(), "the shards ran on both workers' executors: "
                + TaskExecutors.seen());
        stopSession();
        String[] resumed = run(tiny, "supernet", "train", "--out", checkpoint.toString(), "--epochs", "2",
                "--resolution", "64", "--width", "0.3", "--resume", "--set", "spark.master=\"local[1]\"");
        assertEquals("", resumed[0], resumed[1]);
        assertTrue(resumed[1].contains("resuming the supernet after epoch 1"), resumed[1]);
        assertTrue(resumed[1].contains("supernet epoch 2/2") && resumed[1].contains("1 shard(s)"), resumed[1]);
        Path file = checkpoint.resolve("supernet.ckpt");
        String anchors = "space.head.anchor-boxes=" + io.sparknas.supernet.SupernetCheckpoint.anchorBoxes(file);
        io.sparknas.supernet.SupernetCheckpoint.Contents saved = io.sparknas.supernet.SupernetCheckpoint.load(file,
                io.sparknas.config.ConfigLoader.load(null, List.of(anchors)).space());
        assertEquals(List.of(2, 1), saved.history().stream().map(io.sparknas.supernet.SupernetEpoch::shards).toList());
        assertTrue(saved.history().get(1).loss() < saved.history().get(0).loss(), "the loss keeps falling: "
                + saved.history());
        stopSession();
        String[] result = run(tiny, "search", "--supernet", checkpoint.resolve("supernet.ckpt").toString(),
                "--output", dir.resolve("results").toString(), "--run-id", "cluster", "--population", "4",
                "--generations", "1", "--set", cluster);
        assertEquals("", result[0], result[1] + logs());
        assertTrue(result[1].contains("generation 1/1"), result[1]);
        List<Row> rows = SparkSession.active().read().parquet(dir.resolve("results/cluster/candidates").toString())
                .collectAsList();
        assertTrue(rows.size() >= 4, "the initial population and its offspring: " + rows.size());
        assertTrue(rows.stream().filter(r -> r.<Boolean>getAs("feasible")).allMatch(r -> r.getAs("map50") != null));
        assertTrue(Files.list(dir.resolve("work-1")).findAny().isPresent(), "the worker ran an executor");
    }

    private static void stopSession() {
        SparkSession.getActiveSession().foreach(session -> {
            session.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    private String logs() {
        return "\nmaster: " + log("master.log") + "\nworker 1: " + log("worker-1.log") + "\nworker 2: "
                + log("worker-2.log");
    }

    /** Runs the CLI; returns {exit status text ("" when 0), output}. */
    private static String[] run(String[] options, String... command) {
        String[] all = Stream.concat(Stream.of(command), Stream.of(options)).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SparkNas.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new String[] {status == 0 ? "" : "exit " + status + ": " + err, out.toString()};
    }

    /** A SPARK_HOME whose jars/ holds every entry of this JVM's classpath, class folders packed as jars. */
    private Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        int packed = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                pack(path, jars.resolve("classes-" + (packed++) + ".jar"));
            } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                Path link = jars.resolve(path.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, path.toAbsolutePath());
                }
            }
        }
        return home;
    }

    private static void pack(Path folder, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(folder.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }

    /** This JVM's --add-opens flags (from the Surefire argLine), for the daemons and the executor. */
    private static String opens() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).collect(Collectors.joining(" "));
    }

    private Process start(List<String> command, Path sparkHome, String log) throws IOException {
        List<String> split = new ArrayList<>();
        for (String part : command) {
            if (part.startsWith("--add-opens") && part.contains(" ")) {
                split.addAll(List.of(part.split(" ")));
            } else if (!part.isEmpty()) {
                split.add(part);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(split).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        return builder.start();
    }

    private String log(String name) {
        try {
            String text = Files.readString(dir.resolve(name));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the master did not open port " + port + " within 60 s");
    }
}
