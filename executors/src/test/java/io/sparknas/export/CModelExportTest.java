package io.sparknas.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.PeakMemoryPlanner;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The generated C model, compiled with the host's gcc, against the Java integer reference, bit for bit. */
class CModelExportTest {

    private static final SearchSpace SPACE = TestSpaces.standard();
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) images, (\\d+) output bytes, (\\d+) differ");
    private static final List<String> ALLOCATION = List.of("malloc", "calloc", "realloc", "free");

    /** The export of a random detector of {@code architecture}, calibrated and checked on random images. */
    private static Map<String, byte[]> export(Architecture architecture, SplittableRandom random, int checkImages) {
        LayerGraph graph = new ArchitectureLowering(SPACE).lower(architecture);
        FoldedDetector detector = FoldedDetector.of(RandomDetectors.network(SPACE, graph, random), graph);
        int side = architecture.resolution();
        Nd4j.getRandom().setSeed(random.nextLong());
        List<INDArray> calibration = List.of(Nd4j.rand(DataType.FLOAT, 4, 3, side, side));
        IntegerModel model = IntegerModel.of(detector,
                Calibration.of(detector, calibration).ranges(Calibration.Method.PERCENTILE));
        List<byte[]> images = new ArrayList<>();
        for (int n = 0; n < checkImages; n++) {
            images.add(model.quantizeInput(Nd4j.rand(DataType.FLOAT, 3, side, side).data().asFloat()));
        }
        return CModelExport.files(model, Map.of("sparknas.architecture", architecture.shortName()), images);
    }

    @Test
    void onTenRandomArchitecturesTheHostBuildComputesWhatTheJavaReferenceComputesBitForBit(@TempDir Path root)
            throws Exception {
        SplittableRandom random = new SplittableRandom(2212);
        long compared = 0;
        for (int n = 0; n < 10; n++) {
            Architecture architecture = SPACE.sample(random);
            Path dir = Files.createDirectories(root.resolve("model-" + n));
            HostCheck.write(dir, export(architecture, random, 10));
            HostCheck.Outcome outcome = HostCheck.compileAndRun(dir);
            Matcher summary = SUMMARY.matcher(outcome.output());
            assertTrue(summary.find(), architecture.shortName() + ": " + outcome.output());
            assertEquals(10, Integer.parseInt(summary.group(1)), architecture.shortName());
            assertEquals("0", summary.group(3), architecture.shortName() + ": " + outcome.output());
            assertEquals(0, outcome.exitCode(), architecture.shortName() + ": " + outcome.output());
            compared += Long.parseLong(summary.group(2));
        }
        System.out.printf("C model against the Java integer reference: 10 architectures x 10 images, %d output bytes, "
                + "all equal%n", compared);
    }

    @Test
    void aSingleDifferentByteFailsTheCheck(@TempDir Path dir) throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(export(SPACE.sample(new SplittableRandom(5)),
                new SplittableRandom(6), 2));
        byte[] expected = files.get("check/expected.bin").clone();
        expected[expected.length / 2] ^= 1;
        files.put("check/expected.bin", expected);
        HostCheck.write(dir, files);
        HostCheck.Outcome outcome = HostCheck.compileAndRun(dir);
        assertEquals(1, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(", 1 differ"), outcome.output());
    }

    @Test
    void theInferencePathUsesNoAllocatorNoFloatingPointAndOneArenaOfThePlannedPeak(@TempDir Path dir)
            throws Exception {
        Architecture architecture = SPACE.sample(new SplittableRandom(31));
        Map<String, byte[]> files = export(architecture, new SplittableRandom(32), 1);
        HostCheck.write(dir, files);
        List<String> undefined = HostCheck.undefinedSymbolsOfTheInferencePath(dir);
        for (String symbol : undefined) {
            assertFalse(ALLOCATION.contains(symbol), "the inference path calls " + symbol);
            assertFalse(symbol.startsWith("__") && (symbol.contains("sf") || symbol.contains("df")),
                    "the inference path calls a floating-point helper " + symbol);
        }
        String header = new String(files.get("model.h"), StandardCharsets.UTF_8);
        LayerGraph graph = new ArchitectureLowering(SPACE).lower(architecture);
        long peak = PeakMemoryPlanner.peak(graph, true);
        assertTrue(header.contains("#define SPARKNAS_PLANNED_PEAK_BYTES " + peak + "\n"), header);
        Matcher arena = Pattern.compile("#define SPARKNAS_ARENA_BYTES (\\d+)").matcher(header);
        assertTrue(arena.find());
        long bytes = Long.parseLong(arena.group(1));
        assertTrue(bytes >= peak && bytes <= peak * 1.01, "arena " + bytes + " against the planned peak " + peak);
        String source = new String(files.get("model.c"), StandardCharsets.UTF_8);
        assertEquals(1, source.split("static int32_t sparknas_arena\\[", -1).length - 1, "one static arena");
        assertFalse(source.contains("float") || source.contains("double"), "no floating-point type in model.c");
    }
}
