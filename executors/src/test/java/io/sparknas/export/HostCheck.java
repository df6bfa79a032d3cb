package io.sparknas.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a C export with the host's gcc and runs {@code scripts/mcu/host_check.c} on its check vectors: the host
 * half of the bit-exactness check, used by the tests of both modules.
 */
public final class HostCheck {

    /** The project's host harness, from a module folder (Maven runs tests there) or the repository root. */
    public static Path harness() {
        for (Path candidate : List.of(Path.of("../scripts/mcu/host_check.c"), Path.of("scripts/mcu/host_check.c"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("scripts/mcu/host_check.c not found from " + Path.of("").toAbsolutePath());
    }

    /** What a command printed and returned. */
    public record Outcome(int exitCode, String output) {
    }

    private HostCheck() {
    }

    /** Writes {@code files} under {@code dir}. */
    public static void write(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
    }

    /** Compiles the export in {@code dir} with the harness and runs it on the check vectors. */
    public static Outcome compileAndRun(Path dir) throws IOException, InterruptedException {
        Outcome compiled = run(dir, "gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-I", dir.toString(),
                dir.resolve("model.c").toString(), dir.resolve("sparknas_kernels.c").toString(),
                harness().toString(), "-o", dir.resolve("host_check").toString());
        if (compiled.exitCode() != 0) {
            return compiled;
        }
        return run(dir, dir.resolve("host_check").toString(), dir.toString());
    }

    /**
     * Compiles the inference path alone ({@code model.c}, the kernels) to objects with general registers only, so a
     * floating-point operation fails the build, and returns the symbols the objects leave undefined.
     */
    public static List<String> undefinedSymbolsOfTheInferencePath(Path dir) throws IOException, InterruptedException {
        List<String> undefined = new ArrayList<>();
        for (String source : List.of("model.c", "sparknas_kernels.c")) {
            Path object = dir.resolve(source.replace(".c", ".o"));
            Outcome compiled = run(dir, "gcc", "-std=c99", "-O2", "-mgeneral-regs-only", "-c", "-I", dir.toString(),
                    dir.resolve(source).toString(), "-o", object.toString());
            if (compiled.exitCode() != 0) {
                throw new AssertionError(source + " does not compile with general registers only:\n"
                        + compiled.output());
            }
            Outcome symbols = run(dir, "nm", "-u", object.toString());
            for (String line : symbols.output().split("\n")) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty()) {
                    undefined.add(trimmed.substring(trimmed.lastIndexOf(' ') + 1));
                }
            }
        }
        return undefined;
    }

    private static Outcome run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
