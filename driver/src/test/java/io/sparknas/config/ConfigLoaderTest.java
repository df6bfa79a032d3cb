package io.sparknas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.MemoryPlan;
import io.sparknas.data.BuiltInDataset;
import io.sparknas.data.ClassList;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.data.VocFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shippedDefaultsLoadIntoTheDocumentedSpace() {
        SparkNasConfig config = ConfigLoader.load(null, List.of());
        assertEquals(12, config.space().resolutions().size());
        assertEquals(9, config.space().widths().size());
        assertEquals(5, config.space().stages().size());
        assertEquals(16, config.space().backboneStride());
        assertEquals("stm32f746", config.target().name());
        assertEquals(320 * 1024, config.target().sramBytes());
        assertEquals(1024 * 1024, config.target().flashBytes());
        assertEquals(216, config.target().clockMhz());
        assertEquals(MemoryPlan.IN_PLACE, config.cost().plan());
        assertEquals("local[*]", config.spark().master());
        assertEquals(42, config.run().seed());
    }

    @Test
    void aRetiredKeyIsDroppedFromARecordedRunAndRefusedWhenGiven() {
        String recorded = ConfigLoader.load(null, List.of()).renderJson()
                .replaceFirst("\"population\"\\s*:\\s*\\d+", "\"population\":6,\"elitism\":1");
        assertTrue(recorded.contains("\"elitism\":1"), recorded);
        assertEquals(6, ConfigLoader.loadRecorded(recorded, "run.json", List.of()).search().population());
        ConfigurationException given = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load(null, List.of("search.elitism=1")));
        assertTrue(given.getMessage().startsWith("search.elitism: no longer a setting"), given.getMessage());
    }

    @Test
    void anchorsAreFractionsOfTheImageSideAndScaleWithResolution() {
        SparkNasConfig config = ConfigLoader.load(null, List.of());
        List<io.sparknas.space.Anchor> boxes = config.space().anchorBoxes();
        assertEquals(3, boxes.size());
        for (int side : new int[] {80, 128, 160}) {
            io.sparknas.space.HeadSpec head = config.space().narrow(side, 0.5).head();
            double cells = side / 16.0;
            for (int a = 0; a < boxes.size(); a++) {
                assertEquals(boxes.get(a).width() * cells, head.anchors().get(a).width(), 1e-9, side + " px");
                assertEquals(boxes.get(a).height() * cells, head.anchors().get(a).height(), 1e-9, side + " px");
            }
        }
        assertEquals(config.space().narrow(80, 0.5).head().anchors().get(2).width() * 2,
                config.space().narrow(160, 0.5).head().anchors().get(2).width(), 1e-9, "twice the grid, twice the cells");
        ConfigurationException cells = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load(null, List.of("space.head.anchor-boxes=[[0.5, 0.5], [2.0, 2.0]]")));
        assertTrue(cells.getMessage().contains("fractions of the image side"), cells.getMessage());
        ConfigurationException retired = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load(null, List.of("space.head.anchors=[[0.8, 0.8]]")));
        assertTrue(retired.getMessage().startsWith("space.head.anchors: no longer a setting"), retired.getMessage());
    }

    @Test
    void theQuickPresetShortensEveryStageAndTheCommandLineStillWins() {
        SparkNasConfig defaults = ConfigLoader.load(null, List.of());
        SparkNasConfig quick = ConfigLoader.load("quick", null, List.of(), List.of());
        assertEquals(4, quick.search().generations());
        assertTrue(quick.search().generations() < defaults.search().generations());
        assertEquals(3, quick.finals().epochs());
        assertFalse(quick.finals().baseline());
        assertTrue(defaults.finals().baseline(), "the default run trains the baseline");
        assertEquals(7, ConfigLoader.load("quick", null, List.of("search.generations=7"), List.of()).search()
                .generations(), "--set wins over the preset");
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load("slow", null, List.of(), List.of()));
        assertEquals("--preset slow: no such preset; there are: quick", unknown.getMessage());
    }

    @Test
    void adaptationSettingsAreCheckedAndNamed() {
        SparkNasConfig config = ConfigLoader.load(null, List.of("eval.adaptation-steps=16",
                "eval.adaptation-learning-rate=0.002"));
        assertEquals(16, config.adaptationSteps());
        assertEquals(0.002, config.adaptationLearningRate(), 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null,
                List.of("eval.adaptation-steps=-1")).adaptationSteps()).getMessage()
                .startsWith("eval.adaptation-steps must be 0 or more"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null,
                List.of("eval.adaptation-learning-rate=0")).adaptationLearningRate()).getMessage()
                .startsWith("eval.adaptation-learning-rate must be positive"));
    }

    @Test
    void everyShippedTargetLoads() {
        for (String name : TargetLoader.SHIPPED) {
            SparkNasConfig config = ConfigLoader.load(null, List.of("target=" + name));
            assertEquals(name, config.target().name());
        }
        assertEquals(512 * 1024, ConfigLoader.load(null, List.of("target=stm32h743")).target().sramBytes());
        assertEquals(256 * 1024, ConfigLoader.load(null, List.of("target=nrf52840")).target().sramBytes());
    }

    @Test
    void userFileAndCommandLineOverrideInOrder() throws IOException {
        Path file = dir.resolve("mine.conf");
        Files.writeString(file, "run.seed = 7\ncost.memory-plan = patch\n");
        SparkNasConfig fromFile = ConfigLoader.load(file, List.of());
        assertEquals(7, fromFile.run().seed());
        assertEquals(MemoryPlan.PATCH, fromFile.cost().plan());
        assertEquals(9, ConfigLoader.load(file, List.of("run.seed=9")).run().seed());
    }

    @Test
    void unknownKeyNamesTheKeyItsOriginAndTheNearestKnownKey() throws IOException {
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, "space {\n  kernel = [3, 5]\n}\n");
        String message = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(file, List.of())).getMessage();
        assertTrue(message.startsWith("space.kernel: unknown key ("), message);
        assertTrue(message.contains("typo.conf: 2"), message);
        assertTrue(message.endsWith("did you mean space.kernels?"), message);
    }

    @Test
    void wrongTypeNamesTheKeyAndCommandLineOrigin() {
        String message = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load(null, List.of("space-selection.samples-per-cell=lots"))).getMessage();
        assertTrue(message.startsWith("space-selection.samples-per-cell: "), message);
        assertTrue(message.contains("command line --set space-selection.samples-per-cell"), message);
    }

    @Test
    void impossibleValuesAreRejectedWithTheKey() {
        assertMessage("space.stages[1].stride: 3 is outside [1, 2]",
                "space.stages=[{channels=16,stride=1,depths=[1]},{channels=24,stride=3,depths=[1]}]");
        assertMessage("space.kernels[1]: 4 is even; kernels must be odd", "space.kernels=[3,4]");
        assertMessage("space.widths[0]: -0.5 is outside [0.05, 4.0]", "space.widths=[-0.5]");
        assertMessage("space-selection.samples-per-cell: 0 is outside [1, 10000000]", "space-selection.samples-per-cell=0");
        assertMessage("space.head.output-stride: 32 does not match the backbone's stride 16", "space.head.output-stride=32");
        assertMessage("cost.memory-plan: 'fast' is not a memory plan; allowed: layer-by-layer, in-place, patch",
                "cost.memory-plan=fast");
        assertMessage("space.conv-types[0]: 'ghost' is not a conv type", "space.conv-types=[ghost]");
        assertMessage("supernet.member-types: 'even' is not a member conv-type mode; allowed: uniform, balanced, balanced-fitting",
                "supernet.member-types=even");
        assertEquals(io.sparknas.supernet.MemberConvTypes.BALANCED, ConfigLoader.load(null,
                List.of("supernet.member-types=balanced")).supernet().memberTypes());
        assertMessage("supernet.smallest-every: -1 is outside [0, 1000000]", "supernet.smallest-every=-1");
        assertEquals(1, ConfigLoader.load(null, List.of()).supernet().smallestEvery(), "the sandwich rule by default");
        assertMessage("supernet.largest-every: -2 is outside [0, 1000000]", "supernet.largest-every=-2");
        assertEquals(1, ConfigLoader.load(null, List.of()).supernet().largestEvery(), "the sandwich rule by default");
        assertEquals(3, ConfigLoader.load(null, List.of("supernet.largest-every=3")).supernet().largestEvery());
    }

    @Test
    void unknownTargetListsTheShippedOnes() {
        String message = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load(null, List.of("target=esp32"))).getMessage();
        assertTrue(message.startsWith("target: unknown target 'esp32' (command line --set target"), message);
        assertTrue(message.contains("nrf52840, stm32f412, stm32f746, stm32h743"), message);
    }

    @Test
    void targetFileIsValidatedKeyByKey() throws IOException {
        Path file = dir.resolve("board.conf");
        Files.writeString(file, "name = board\ncore = M33\nclock-mhz = 150\nsram = -5\nflash = 1MiB\n"
                + "runtime-sram = 0\nruntime-flash = 0\nlatency-budget-ms = 0\n"
                + "cycles { conv = 1, pointwise = 1, depthwise = 1, dense = 1, add = 1, pool = 1, per-layer = 1 }\n");
        String message = assertThrows(ConfigurationException.class,
                () -> ConfigLoader.load(null, List.of("target=\"" + file + "\""))).getMessage();
        assertTrue(message.startsWith(file + ".sram: "), message);
        Files.writeString(file, Files.readString(file).replace("sram = -5", "sram = 256KiB"));
        assertEquals(256 * 1024, ConfigLoader.load(null, List.of("target=\"" + file + "\"")).target().sramBytes());
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nope.conf");
        assertEquals("config file not found: " + missing,
                assertThrows(ConfigurationException.class, () -> ConfigLoader.load(missing, List.of())).getMessage());
    }

    @Test
    void editDistanceCountsEdits() {
        assertEquals(1, ConfigLoader.editDistance("space.kernel", "space.kernels"));
        assertEquals(0, ConfigLoader.editDistance("run.seed", "run.seed"));
        assertEquals(3, ConfigLoader.editDistance("abc", "xyz"));
    }

    private static void assertMessage(String expectedPrefix, String override) {
        String message = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null, List.of(override)))
                .getMessage();
        assertTrue(message.startsWith(expectedPrefix), () -> "expected '" + expectedPrefix + "...', got: " + message);
    }

    @Test
    void theLlmProposerIsOffByDefaultAndItsSettingsAreChecked() {
        SparkNasConfig defaults = ConfigLoader.load(null, List.of());
        assertFalse(defaults.llm().enabled());
        assertEquals(Duration.ofSeconds(60), defaults.llm().timeout());
        assertEquals(1024 * 1024, defaults.llm().maxReplyBytes());
        SparkNasConfig ollama = ConfigLoader.load(null, List.of("llm.endpoint=\"http://localhost:11434/v1\"",
                "llm.model=qwen", "llm.api-key-env=OPENAI_API_KEY"));
        assertTrue(ollama.llm().enabled());
        assertEquals("OPENAI_API_KEY", ollama.llm().apiKeyEnv());
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("llm.endpoint=\"localhost:11434\"", "llm.model=qwen"))).getMessage()
                .startsWith("llm.endpoint: 'localhost:11434' is not an http(s) URL"));
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("llm.endpoint=\"http://localhost:8000/v1\""))).getMessage()
                .startsWith("llm.model: must name the model"));
        String key = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("llm.api-key-env=\"sk-proj-abc123\""))).getMessage();
        assertTrue(key.startsWith("llm.api-key-env: 'sk-proj-abc123' is not an environment variable name (the key "
                + "itself never goes in the configuration)"), key);
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("llm.response-format=yaml"))).getMessage().startsWith("llm.response-format: 'yaml' is not one of"));
    }

    @Test
    void finalTrainingSettingsAreReadAndChecked() {
        FinalSettings finals = ConfigLoader.load(null, List.of()).finals();
        assertTrue(finals.afterSearch());
        assertEquals(1, finals.top());
        assertFalse(finals.inherited());
        assertEquals(4.0, finals.distillation().temperature());
        assertEquals(2, finals.teacher().sideFactor());
        assertTrue(ConfigLoader.load(null, List.of("final.init=inherited")).finals().inherited());
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("final.init=pretrained"))).getMessage().startsWith("final.init: 'pretrained' is not scratch or "
                + "inherited"));
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("final.teacher.heads=3"))).getMessage().startsWith("final.teacher.heads: 3 heads do not divide "
                + "final.teacher.dim 128"));
        assertEquals(1, finals.teacher().tokensPerCell());
        assertFalse(finals.teacher().flipAverage());
        assertEquals(0, finals.teacher().patience());
        assertEquals(8, ConfigLoader.load(null, List.of("final.teacher.patience=8")).finals().teacher().patience());
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("final.teacher.patience=-1"))).getMessage().startsWith("final.teacher.patience: "));
        assertTrue(ConfigLoader.load(null, List.of("final.teacher.flip-average=true")).finals().teacher()
                .flipAverage());
        assertEquals(2, ConfigLoader.load(null, List.of("final.teacher.tokens-per-cell=2")).finals().teacher().spec()
                .tokensPerCell());
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("final.teacher.tokens-per-cell=3"))).getMessage().startsWith("final.teacher.tokens-per-cell: "
                + "3 is not a power of two"));
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("final.distillation.threshold=1.5"))).getMessage().startsWith("final.distillation.threshold: "
                + "1.5 is outside [0.0, 1.0]"));
    }

    @Test
    void theHeadTakesTheSyntheticSetsFourClassesAndTheResolvedConfigurationRecordsThem() {
        SparkNasConfig config = ConfigLoader.load(null, List.of());
        assertEquals(4, config.space().head().classes());
        assertEquals(List.of("disc", "box", "triangle", "cross"), config.data().classes());
        assertEquals(ClassList.Origin.SYNTHETIC, config.classes().origin());
        assertEquals(List.of("disc", "box", "triangle", "cross"), config.resolved().getStringList("data.classes"));
        assertEquals(4, config.resolved().getInt("space.head.classes"));
        assertTrue(config.gatheredClassesNotice().isEmpty());
    }

    @Test
    void syntheticRealGivesTheHeadItsTenDigitClassesAndItsOwnSection() {
        SparkNasConfig config = ConfigLoader.load(null, List.of("data.source=synthetic-real",
                "data.synthetic-real.image-size=96", "data.synthetic-real.train=12", "data.synthetic-real.seed=3"));
        List<String> digits = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
        assertEquals(10, config.space().head().classes());
        assertEquals(digits, config.data().classes());
        assertEquals(ClassList.Origin.SYNTHETIC, config.classes().origin());
        assertEquals(digits, config.resolved().getStringList("data.classes"));
        assertEquals(BuiltInDataset.SYNTHETIC_REAL, config.data().builtIn());
        assertEquals(new SyntheticSpec(96, 12, 500, 500, 3), config.data().synthetic());
        assertEquals("synthetic-real 96px (12/500/500 images, seed 3)", config.data().describe());
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("data.source=synthetic-real", "space.head.classes=4"))).getMessage()
                .startsWith("space.head.classes: 4 does not match"));
        assertTrue(assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("data.source=pictures"))).getMessage().contains("allowed: synthetic, synthetic-real, voc, coco"));
    }

    @Test
    void vocWithoutClassesTxtGivesTheHeadTheGatheredClassCount() throws IOException {
        Path voc = fiveClassVoc();
        SparkNasConfig config = ConfigLoader.load(null, voc(voc));
        List<String> gathered = List.of("box", "cross", "disc", "triangle", "zebra");
        assertEquals(5, config.space().head().classes());
        assertEquals(gathered, config.data().classes());
        assertEquals(ClassList.Origin.TRAIN_ANNOTATIONS, config.classes().origin());
        assertEquals(gathered, config.resolved().getStringList("data.classes"));
        assertEquals(5, config.resolved().getInt("space.head.classes"));
        assertEquals("data: 5 classes from the train annotations (no classes.txt): box, cross, disc, triangle, zebra",
                config.gatheredClassesNotice().orElseThrow());
        assertEquals(5, ConfigLoader.load(null, with(voc(voc), "space.head.classes=5")).space().head().classes());
    }

    @Test
    void aRecordedConfigurationReloadsItsClassesWithoutTheDataset() throws IOException {
        Path voc = fiveClassVoc();
        String recorded = ConfigLoader.load(null, voc(voc)).renderJson();
        try (var files = Files.walk(voc)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        SparkNasConfig reloaded = ConfigLoader.loadRecorded(recorded, "run.json", List.of());
        assertEquals(List.of("box", "cross", "disc", "triangle", "zebra"), reloaded.data().classes());
        assertEquals(ClassList.Origin.GIVEN, reloaded.classes().origin());
        assertEquals(5, reloaded.space().head().classes());
    }

    @Test
    void anExplicitHeadClassCountThatDiffersFromTheDatasetNamesBothFigures() throws IOException {
        String gathered = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                with(voc(fiveClassVoc()), "space.head.classes=20"))).getMessage();
        assertTrue(gathered.startsWith("space.head.classes: 20 does not match the dataset's 5 classes from the train "
                + "annotations (no classes.txt): box, cross, disc, triangle, zebra"), gathered);
        String synthetic = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                List.of("space.head.classes=3"))).getMessage();
        assertTrue(synthetic.startsWith("space.head.classes: 3 does not match the dataset's 4 classes of the synthetic "
                + "set: disc, box, triangle, cross"), synthetic);
        List<String> givenClasses = with(voc(dir.resolve("not-yet-mounted")), "data.classes=[cat, dog]");
        String given = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null,
                with(givenClasses, "space.head.classes=3"))).getMessage();
        assertTrue(given.startsWith("space.head.classes: 3 does not match the 2 names of data.classes [cat, dog]"),
                given);
    }

    @Test
    void givenClassesNeedNoDatasetAtLoad() {
        SparkNasConfig config = ConfigLoader.load(null, with(voc(dir.resolve("not-yet-mounted")),
                "data.classes=[cat, dog]"));
        assertEquals(2, config.space().head().classes());
        assertEquals(ClassList.Origin.GIVEN, config.classes().origin());
    }

    @Test
    void aDatasetThatCannotBeReadIsNamed() throws IOException {
        Path missing = dir.resolve("no-such-voc");
        String notFound = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null, voc(missing)))
                .getMessage();
        assertTrue(notFound.startsWith("data.path: " + missing + ": dataset folder not found"), notFound);

        Path voc = fiveClassVoc();
        Path xml = voc.resolve("Annotations/train-000004.xml");
        Files.writeString(xml, Files.readString(xml).replaceFirst("<name>[^<]+</name>", "<name></name>"));
        String noName = assertThrows(ConfigurationException.class, () -> ConfigLoader.load(null, voc(voc)))
                .getMessage();
        assertTrue(noName.startsWith("data.path: " + xml + ": object 1 has no <name>"), noName);
    }

    /** The tiny VOC folder of {@link VocFolders#tiny} with a fifth class, zebra, in one train annotation. */
    private Path fiveClassVoc() throws IOException {
        Path root = VocFolders.tiny(dir.resolve("voc"));
        Path xml = root.resolve("Annotations/train-000002.xml");
        Files.writeString(xml, Files.readString(xml).replace("</annotation>", "  <object><name>zebra</name>"
                + "<bndbox><xmin>3</xmin><ymin>3</ymin><xmax>20</xmax><ymax>20</ymax></bndbox></object>\n</annotation>"));
        return root;
    }

    private static List<String> voc(Path root) {
        return List.of("data.source=voc", "data.path=\"" + root + "\"");
    }

    private static List<String> with(List<String> overrides, String more) {
        List<String> all = new ArrayList<>(overrides);
        all.add(more);
        return all;
    }
}
