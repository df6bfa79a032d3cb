package io.sparknas.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the manifests must agree with, read from the build's own files: Spark's version and its Java 17 JVM flags
 * from pom.xml, and from k8s/Dockerfile the base image and where the application jar lands in the image.
 */
record BuildFacts(String sparkVersion, List<String> jvmFlags, String sparkImage, String applicationJar) {

    static BuildFacts read(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        String dockerfile = Files.readString(root.resolve("k8s/Dockerfile"));
        return new BuildFacts(property(pom, "spark.version"), List.of(property(pom, "spark.jvm.opens").split("\\s+")),
                group(dockerfile, "(?m)^ARG SPARK_IMAGE=(\\S+)$", "ARG SPARK_IMAGE"),
                group(dockerfile, "(?m)^COPY --from=build /sparknas-app\\.jar (\\S+)$", "COPY of the application jar"));
    }

    private static String property(String pom, String name) {
        return group(pom, "<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">", "pom.xml " + name);
    }

    private static String group(String text, String regex, String what) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(what + " not found");
        }
        return matcher.group(1).trim();
    }
}
