package io.sparknas.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cli.SparkNas;
import io.sparknas.sweep.SparkApplicationTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image and the plain spark-submit path agree with the build: the Dockerfile starts from the official Spark
 * image of pom.xml's Spark version on Java 17 and puts the jar where the manifests look; the S3A jars match the
 * Hadoop that Spark ships; the jar carries the base SparkApplication as the sweep template; submit.sh builds a
 * spark-submit command whose class, jar, flags and arguments the application accepts.
 */
class BuildConsistencyTest {

    private static final Path ROOT = Manifests.root();

    @Test
    void theDockerfileBuildsOnTheOfficialSparkImageOfThePomsVersionOnJava17() throws IOException {
        BuildFacts build = BuildFacts.read(ROOT);
        assertEquals("apache/spark:" + build.sparkVersion() + "-scala2.13-java17-ubuntu", build.sparkImage());
        assertEquals("/opt/sparknas/sparknas-app.jar", build.applicationJar());
        String dockerfile = Files.readString(ROOT.resolve("k8s/Dockerfile"));
        assertTrue(dockerfile.contains("COPY conf/ /opt/sparknas/conf/"), "the defaults, shadowed by the ConfigMap");
        assertTrue(dockerfile.contains("\nUSER spark\n"), "runs unprivileged");
        assertTrue(dockerfile.contains("-Pdist") && dockerfile.contains("spark-app.jar"), "the dist profile's jar");
    }

    @Test
    void theS3aJarsAreBuiltForTheHadoopThatSparkShips() throws IOException {
        String s3a = Files.readString(ROOT.resolve("k8s/s3a/pom.xml"));
        Matcher hadoop = Pattern.compile("<hadoop.version>([^<]+)</hadoop.version>").matcher(s3a);
        assertTrue(hadoop.find());
        assertEquals(org.apache.hadoop.util.VersionInfo.getVersion(), hadoop.group(1),
                "hadoop-aws must match the Hadoop client on Spark's classpath");
    }

    @Test
    void theBundledSweepTemplateIsTheBaseSparkApplication() throws IOException {
        SparkApplicationTemplate bundled = SparkApplicationTemplate.bundled();
        SparkApplicationTemplate base = SparkApplicationTemplate.read(ROOT.resolve("k8s/base/search-application.yaml"));
        assertEquals(base.image(), bundled.image());
        assertEquals(base.option("--config"), bundled.option("--config"));
        assertEquals(base.option("--output"), bundled.option("--output"));
        assertEquals("/results", bundled.option("--output").orElseThrow());
    }

    @Test
    void submitShBuildsASparkSubmitCommandTheApplicationAccepts() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", ROOT.resolve("k8s/spark-submit/submit.sh").toString(),
                "--dry-run", "--master", "k8s://https://10.0.0.1:6443", "--image", "registry.example.com/sparknas:0.1.0",
                "--", "search", "--output", "/results", "--set", "search.generations=2")
                .redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), printed);
        List<String> words = Arrays.asList(printed.split(" "));
        assertEquals("io.sparknas.cli.SparkNas", words.get(words.indexOf("--class") + 1));
        assertEquals(SparkNas.class.getName(), words.get(words.indexOf("--class") + 1));
        int jar = words.indexOf("local:///opt/sparknas/sparknas-app.jar");
        assertTrue(jar > 0, printed);
        List<String> arguments = words.subList(jar + 1, words.size());
        assertEquals(List.of("search", "--output", "/results", "--set", "search.generations=2"), arguments);
        assertEquals(2, SparkNas.check(arguments.toArray(String[]::new)).search().generations());
        for (String flag : BuildFacts.read(ROOT).jvmFlags()) {
            assertTrue(printed.contains(flag), "executors and driver get " + flag);
        }
        for (String template : List.of("driver-pod-template.yaml", "executor-pod-template.yaml")) {
            assertTrue(printed.contains(ROOT.resolve("k8s/spark-submit").resolve(template).toString()), template);
        }

        Process refused = new ProcessBuilder("bash", ROOT.resolve("k8s/spark-submit/submit.sh").toString(),
                "--dry-run", "--master", "spark://host:7077").redirectErrorStream(true).start();
        String message = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(refused.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue());
        assertTrue(message.contains("--master must start with k8s://"), message);
    }
}
