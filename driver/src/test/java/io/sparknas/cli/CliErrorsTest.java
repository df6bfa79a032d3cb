package io.sparknas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the real command line: one error line naming the field, exit 2, no stack trace. */
class CliErrorsTest {

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SparkNas.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndEveryCommandHasHelp() {
        Result top = run("--help");
        assertEquals(0, top.status());
        assertTrue(top.out().contains("cost") && top.out().contains("space"), top.out());
        for (String command : new String[] {"cost", "space"}) {
            Result help = run(command, "--help");
            assertEquals(0, help.status());
            assertTrue(help.out().contains("--target") && help.out().contains("--set"), help.out());
        }
    }

    @Test
    void malformedArchitectureJson() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"resolution\": 128,\n  \"width\": 0.5,\n  \"stages\": [[{\"type\": \"mbconv\",}]]}");
        Result result = run("cost", "--arch", file.toString());
        assertEquals(2, result.status());
        assertOneLine(result.err(), "sparknas: error: " + file + ": malformed JSON at line 3, column");
    }

    @Test
    void outOfSpaceKernel() throws IOException {
        String good = Files.readString(Path.of("../examples/arch-small.json"));
        Path file = dir.resolve("kernel4.json");
        Files.writeString(file, good.replaceFirst("\"kernel\": 5", "\"kernel\": 4"));
        Result result = run("cost", "--arch", file.toString());
        assertEquals(2, result.status());
        assertOneLine(result.err(), "sparknas: error: " + file
                + ": not in the search space: stages[2][0].kernel: 4 is not one of [3, 5, 7]");
    }

    @Test
    void unknownTarget() {
        Result result = run("cost", "--arch", "../examples/arch-small.json", "--target", "esp32");
        assertEquals(2, result.status());
        assertOneLine(result.err(), "sparknas: error: target: unknown target 'esp32'");
    }

    @Test
    void badConfigValue() {
        Result result = run("cost", "--arch", "../examples/arch-small.json", "--set", "space.kernels=[3,4]");
        assertEquals(2, result.status());
        assertOneLine(result.err(), "sparknas: error: space.kernels[1]: 4 is even; kernels must be odd");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Result result = run("cost", "--arch", "../examples/arch-small.json", "--target", "esp32", "--verbose");
        assertEquals(2, result.status());
        assertTrue(result.err().contains("at io.sparknas.config.TargetLoader"), result.err());
    }

    @Test
    void costOfTheExampleArchitecture() {
        Result result = run("cost", "--arch", "../examples/arch-small.json");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("MACs                 13,586,944"), result.out());
        assertTrue(result.out().contains("feasible        yes: fits stm32f746"), result.out());
        Result reference = run("cost", "--reference", "mobilenetv2");
        assertTrue(reference.out().contains("peak SRAM (b)         1,404,928 B"), reference.out());
        assertTrue(reference.out().contains("feasible        no: sram: needs 1,421,312 B, limit 327,680 B"),
                reference.out());
    }

    @Test
    void costDrawsTheMemoryChart() throws IOException {
        Path png = dir.resolve("memory.png");
        Result result = run("cost", "--arch", "../examples/arch-small.json", "--chart", png.toString());
        assertEquals(0, result.status(), result.err());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1100, image.getWidth());
        assertEquals(550, image.getHeight());
    }

    private static void assertOneLine(String err, String expectedPrefix) {
        String[] lines = err.strip().split("\\R");
        assertEquals(1, lines.length, err);
        assertTrue(lines[0].startsWith(expectedPrefix), () -> "expected '" + expectedPrefix + "...', got: " + err);
        assertFalse(err.contains("\tat "), err);
    }
}
