package io.sparknas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.DetectionDataset;
import io.sparknas.data.RealObjectsDetectionSet;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.data.VocFolders;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sparknas data synth`, `data check` and `train` through the real command line, on tiny settings. */
class DataAndTrainCommandsTest {

    private static final String[] TINY = {"--set", "data.synthetic.train=48", "--set", "data.synthetic.val=12",
        "--set", "data.synthetic.test=12", "--set", "data.synthetic.image-size=64"};

    @TempDir
    Path dir;

    /** {@code command} followed by {@code options}. */
    private static String[] with(String[] options, String... command) {
        String[] all = new String[options.length + command.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(options, 0, all, command.length, options.length);
        return all;
    }

    @Test
    void synthWritesALayoutThatCheckReadsAndCheckReportsBadFiles() throws IOException {
        Path out = dir.resolve("yolo");
        CliErrorsTest.Result synth = CliErrorsTest.run(with(TINY, "data", "synth", "--out", out.toString(), "--format", "yolo"));
        assertEquals(0, synth.status(), synth.err());
        assertTrue(Files.size(out.resolve("contact-sheet.png")) > 10_000);
        assertEquals(48, Files.list(out.resolve("images/train")).count());

        String[] check = {"data", "check", "--set", "data.source=yolo", "--set", "data.path=\"" + out + "\""};
        CliErrorsTest.Result good = CliErrorsTest.run(check);
        assertEquals(0, good.status(), good.err());
        assertTrue(good.out().contains("48 train, 12 val, 12 test images"), good.out());
        assertTrue(good.out().contains("0 problem(s)"), good.out());

        Files.writeString(out.resolve("labels/train/train-000003.txt"), "9 0.5 0.5 0.2 0.2\n");
        CliErrorsTest.Result bad = CliErrorsTest.run(check);
        assertEquals(2, bad.status());
        assertTrue(bad.out().contains("47 train"), bad.out());
        assertTrue(bad.out().contains("train-000003.txt: object 1: unknown class 9"), bad.out());

        CliErrorsTest.Result strict = CliErrorsTest.run(with(new String[] {"--strict"}, check));
        assertEquals(2, strict.status());
        assertTrue(strict.err().startsWith("sparknas: error: ") && strict.err().contains("train-000003.txt"), strict.err());
    }

    @Test
    void synthWritesTheDigitSetWhenDataSourceIsSyntheticRealAndCheckReadsItBack() throws IOException {
        Path out = dir.resolve("digits");
        String[] digits = {"--set", "data.source=synthetic-real", "--set", "data.synthetic-real.train=12", "--set",
            "data.synthetic-real.val=4", "--set", "data.synthetic-real.test=4", "--set",
            "data.synthetic-real.image-size=64"};
        CliErrorsTest.Result synth = CliErrorsTest.run(with(digits, "data", "synth", "--out", out.toString(),
                "--sheet", "3x2", "--tile", "64"));
        assertEquals(0, synth.status(), synth.err());
        assertTrue(synth.out().startsWith("wrote 12/4/4 train/val/test images (voc layout)"), synth.out());
        BufferedImage sheet = ImageIO.read(out.resolve("contact-sheet.png").toFile());
        assertEquals(3 * 64, sheet.getWidth());
        assertEquals(2 * 64, sheet.getHeight());
        CliErrorsTest.Result badGrid = CliErrorsTest.run(with(digits, "data", "synth", "--out", out.toString(),
                "--sheet", "3by2"));
        assertEquals(2, badGrid.status());
        assertTrue(badGrid.err().contains("--sheet: '3by2' is not COLUMNSxROWS"), badGrid.err());
        List<String> names = RealObjectsDetectionSet.CLASSES;
        assertEquals(names, Files.readAllLines(out.resolve("classes.txt")));

        String[] check = {"data", "check", "--set", "data.source=voc", "--set", "data.path=\"" + out + "\""};
        CliErrorsTest.Result good = CliErrorsTest.run(check);
        assertEquals(0, good.status(), good.err());
        assertTrue(good.out().contains("12 train, 4 val, 4 test images; classes " + names), good.out());
        DetectionDataset source = new RealObjectsDetectionSet(new SyntheticSpec(64, 12, 4, 4, 7)).generate();
        long objects = Stream.of(source.train(), source.val(), source.test()).flatMap(List::stream)
                .mapToLong(image -> image.objects().size()).sum();
        long reported = 0;
        for (String name : names) {
            Matcher count = Pattern.compile("  " + name + " +(\\d+) objects").matcher(good.out());
            reported += count.find() ? Long.parseLong(count.group(1)) : 0;
        }
        assertEquals(objects, reported, good.out());
    }

    @Test
    void checkReadsAVocFolderWithoutClassesTxtAndPrintsTheGatheredClasses() throws IOException {
        Path voc = VocFolders.tiny(dir.resolve("voc"));
        String[] check = {"data", "check", "--set", "data.source=voc", "--set", "data.path=\"" + voc + "\""};
        CliErrorsTest.Result good = CliErrorsTest.run(check);
        assertEquals(0, good.status(), good.err());
        String[] lines = good.out().split("\\R");
        assertEquals("data: 4 classes from the train annotations (no classes.txt): box, cross, disc, triangle", lines[0]);
        assertTrue(lines[1].endsWith(": 8 train, 4 val, 4 test images; classes [box, cross, disc, triangle]"), lines[1]);
        DetectionDataset source = new SyntheticDetectionSet(VocFolders.TINY).generate();
        for (String name : List.of("box", "cross", "disc", "triangle")) {
            int classId = source.classes().indexOf(name);
            long objects = Stream.of(source.train(), source.val(), source.test()).flatMap(List::stream)
                    .flatMap(image -> image.objects().stream()).filter(o -> o.classId() == classId).count();
            assertTrue(objects > 0 && good.out().contains(String.format("  %-20s %,d objects%n", name, objects)),
                    name + " " + objects + ": " + good.out());
        }
        assertTrue(good.out().contains("0 problem(s)"), good.out());

        Path xml = voc.resolve("Annotations/train-000005.xml");
        Files.writeString(xml, Files.readString(xml).replaceFirst("<name>[^<]+</name>", "<name> </name>"));
        CliErrorsTest.Result noName = CliErrorsTest.run(check);
        assertEquals(2, noName.status());
        assertEquals("sparknas: error: data.path: " + xml + ": object 1 has no <name>, which the class list is gathered "
                + "from (there is no classes.txt) (command line --set data.path: 1)", noName.err().strip());
    }

    @Test
    void checkPrintsTextFromTheDataFilesWithoutTerminalControls() throws IOException {
        Path out = dir.resolve("yolo");
        CliErrorsTest.Result synth = CliErrorsTest.run(with(TINY, "data", "synth", "--out", out.toString(), "--format", "yolo"));
        assertEquals(0, synth.status(), synth.err());
        Files.writeString(out.resolve("labels/train/train-000005.txt"),
                "0 \u001B[2J\u001B]0;pwned\u0007cleared\u0008\u0008\u009B31mscreen\n");
        String[] check = {"data", "check", "--set", "data.source=yolo", "--set", "data.path=\"" + out + "\""};

        CliErrorsTest.Result bad = CliErrorsTest.run(check);
        assertEquals(2, bad.status());
        assertTrue(bad.out().contains("train-000005.txt:1: expected 'class cx cy w h', got '0 clearedscreen'"),
                bad.out());
        assertTrue(bad.out().chars().noneMatch(c -> c < 0x20 && c != '\n' || c >= 0x7F && c <= 0x9F), bad.out());

        CliErrorsTest.Result strict = CliErrorsTest.run(with(new String[] {"--strict"}, check));
        assertEquals(2, strict.status());
        assertTrue(strict.err().contains("got '0 clearedscreen'"), strict.err());
        assertTrue(strict.err().chars().noneMatch(c -> c < 0x20 && c != '\n' || c >= 0x7F && c <= 0x9F),
                strict.err());
    }

    @Test
    void anchorsFitsTheTrainingBoxesAndComparesWithTheConfiguredOnes() {
        CliErrorsTest.Result fitted = CliErrorsTest.run(with(TINY, "data", "anchors", "--resolution", "64"));
        assertEquals(0, fitted.status(), fitted.err());
        Matcher iou = Pattern.compile("mean best IoU: fitted ([\\d.]+), configured ([\\d.]+)").matcher(fitted.out());
        assertTrue(iou.find(), fitted.out());
        assertTrue(Double.parseDouble(iou.group(1)) >= Double.parseDouble(iou.group(2)),
                "k-means fits the boxes at least as well as the configured anchors: " + fitted.out());
        assertTrue(Pattern.compile("(?m)^space\\.head\\.anchor-boxes = \\[\\[[\\d.]+, [\\d.]+\\], \\[[\\d.]+, [\\d.]+\\], "
                + "\\[[\\d.]+, [\\d.]+\\]\\]$").matcher(fitted.out()).find(), fitted.out());
        Matcher ceiling = Pattern.compile("exact-head ceiling on val \\(12 images, (\\d+) objects\\): mAP@0\\.5 fitted "
                + "([\\d.]+) \\((\\d+) objects without a slot\\), configured ([\\d.]+)").matcher(fitted.out());
        assertTrue(ceiling.find(), fitted.out());
        assertTrue(Integer.parseInt(ceiling.group(1)) >= 12, fitted.out());
        assertTrue(Integer.parseInt(ceiling.group(3)) < Integer.parseInt(ceiling.group(1)), fitted.out());
        for (int group : new int[] {2, 4}) {
            double map50 = Double.parseDouble(ceiling.group(group));
            assertTrue(map50 > 0.5 && map50 <= 1.0, "an exact head finds most objects: " + fitted.out());
        }
        CliErrorsTest.Result bad = CliErrorsTest.run(with(TINY, "data", "anchors", "--resolution", "70"));
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--resolution: 70 is not a multiple of the output stride 16"), bad.err());
    }

    @Test
    void trainRunsSavesAndReloadsWithTheSameMap() throws IOException {
        Path arch = dir.resolve("tiny.json");
        Files.writeString(arch, "{\"resolution\":64,\"width\":0.3,\"stages\":[[{\"type\":\"depthwise-separable\",\"kernel\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}],[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3},{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}]]}");
        Path out = dir.resolve("run");
        CliErrorsTest.Result train = CliErrorsTest.run(with(TINY, "train", "--arch", arch.toString(), "--epochs", "2",
                "--out", out.toString(), "--set", "train.batch-size=16"));
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("fits on stm32f746"), train.out());
        assertTrue(train.out().contains("epoch 2/2"), train.out());
        assertTrue(Files.exists(out.resolve("model.zip")));
        Matcher best = Pattern.compile("best val mAP@0\\.5 ([\\d.]+)").matcher(train.out());
        Matcher reloaded = Pattern.compile("reloaded: val mAP@0\\.5 ([\\d.]+)").matcher(train.out());
        assertTrue(best.find() && reloaded.find(), train.out());
        assertEquals(Double.parseDouble(best.group(1)), Double.parseDouble(reloaded.group(1)), 1e-4,
                "the saved model scores what training measured");
        TrainingSummary summary = TrainingSummary.read(out.resolve(TrainingSummary.FILE));
        assertEquals(2, summary.epochsRun());
        assertEquals(2, summary.history().size());
        assertEquals(64, summary.resolution());
        assertEquals(Double.parseDouble(reloaded.group(1)), summary.valMap50(), 1e-4);
        assertEquals(summary.history().stream().mapToDouble(TrainingSummary.Epoch::seconds).sum() / 60,
                summary.trainMinutes(), 1e-9);
        assertTrue(summary.history().get(1).loss() > 0 && summary.history().get(1).valMap50() != null);

        CliErrorsTest.Result started = CliErrorsTest.run(with(TINY, "train", "--arch", arch.toString(), "--epochs", "1",
                "--out", dir.resolve("started").toString(), "--init", out.resolve("model.zip").toString()));
        assertEquals(0, started.status(), started.err());
        Matcher init = Pattern.compile("init: (\\d+) of (\\d+) convolutions from .*model\\.zip").matcher(started.out());
        assertTrue(init.find(), started.out());
        assertEquals(init.group(2), init.group(1), "same architecture and classes: every convolution copied");
        CliErrorsTest.Result missing = CliErrorsTest.run(with(TINY, "train", "--arch", arch.toString(), "--epochs", "1",
                "--out", dir.resolve("missing").toString(), "--set", "train.init=" + dir.resolve("nothing.zip")));
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("train.init: " + dir.resolve("nothing.zip") + " is not a file"), missing.err());

        CliErrorsTest.Result again = CliErrorsTest.run(with(TINY, "train", "--arch", arch.toString(), "--epochs", "2",
                "--out", out.toString()));
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already holds a checkpoint: pass --resume"), again.err());
    }

    @Test
    void exportWritesAnOnnxModelThatComputesWhatTheTrainedModelComputes() throws Exception {
        Path arch = dir.resolve("tiny.json");
        Files.writeString(arch, "{\"resolution\":64,\"width\":0.3,\"stages\":[[{\"type\":\"depthwise-separable\",\"kernel\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":5,\"expand\":3,\"skip\":false}],[{\"type\":\"standard\",\"kernel\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3},{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}]]}");
        Path out = dir.resolve("trained");
        CliErrorsTest.Result train = CliErrorsTest.run(with(TINY, "train", "--arch", arch.toString(), "--epochs", "1",
                "--out", out.toString(), "--set", "train.batch-size=16"));
        assertEquals(0, train.status(), train.err());
        Path onnx = out.resolve("model.onnx");
        CliErrorsTest.Result export = CliErrorsTest.run(with(TINY, "export", "--model", out.resolve("model.zip").toString(),
                "--arch", arch.toString(), "--out", onnx.toString()));
        assertEquals(0, export.status(), export.err());
        assertTrue(export.out().contains("ONNX opset 13"), export.out());

        org.deeplearning4j.nn.graph.ComputationGraph trained = org.deeplearning4j.util.ModelSerializer
                .restoreComputationGraph(out.resolve("model.zip").toFile(), false);
        org.nd4j.linalg.api.ndarray.INDArray images = org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3, 64, 64);
        org.nd4j.linalg.api.ndarray.INDArray expected = trained.outputSingle(false, images);
        ai.onnxruntime.OrtEnvironment environment = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession session = environment.createSession(onnx.toString(),
                new ai.onnxruntime.OrtSession.SessionOptions());
             ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(environment,
                     java.nio.FloatBuffer.wrap(images.data().asFloat()), new long[] {3, 3, 64, 64});
             ai.onnxruntime.OrtSession.Result result = session.run(java.util.Map.of("images", input))) {
            float[] values = new float[(int) expected.length()];
            ((ai.onnxruntime.OnnxTensor) result.get("predictions").orElseThrow()).getFloatBuffer().get(values);
            double gap = org.nd4j.linalg.factory.Nd4j.create(values, expected.shape(), 'c').sub(expected)
                    .amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
            assertTrue(gap < 1e-4, "relative difference " + gap);
            java.util.Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertTrue(metadata.get("sparknas.architecture").contains("\"resolution\":64"), metadata.toString());
            assertTrue(metadata.get("sparknas.anchors").contains("\"grid\":4"), metadata.toString());
            assertEquals(String.join(",", io.sparknas.config.ConfigLoader.load(null, java.util.List.of())
                    .classes().names()), metadata.get("sparknas.classes"));
        }

        Path int8 = out.resolve("model-int8.onnx");
        CliErrorsTest.Result quantized = CliErrorsTest.run(with(TINY, "export", "--model",
                out.resolve("model.zip").toString(), "--arch", arch.toString(), "--format", "onnx-int8",
                "--calibration-images", "32", "--out", int8.toString()));
        assertEquals(0, quantized.status(), quantized.err());
        assertTrue(quantized.out().contains("int8, min-max calibration on 32 images: val mAP@0.5")
                && quantized.out().contains("int8, percentile calibration on 32 images: val mAP@0.5")
                && quantized.out().contains("calibration kept"), quantized.out());
        com.fasterxml.jackson.databind.JsonNode figures = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("model-int8.onnx.json").toFile());
        assertEquals(32, figures.get("calibration_images").asInt());
        assertTrue(figures.get("int8").has("min-max") && figures.get("int8").has("percentile"), figures.toString());
        assertTrue(figures.get("fp32_test_map50").isNumber(), figures.toString());
        try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(
                int8.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
            java.util.Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertTrue(metadata.get("sparknas.quantization").startsWith("int8 QDQ"), metadata.toString());
            assertEquals(java.util.List.of("images"), java.util.List.copyOf(session.getInputNames()));
        }

        Path cModel = out.resolve("model-c");
        CliErrorsTest.Result c = CliErrorsTest.run(with(TINY, "export", "--model", out.resolve("model.zip").toString(),
                "--arch", arch.toString(), "--format", "c", "--calibration-images", "32", "--check-images", "3",
                "--out", cModel.toString()));
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().contains("as C to " + cModel) && c.out().contains("scripts/mcu-check.sh"), c.out());
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cModel.resolve("model.json").toFile());
        assertEquals(3, manifest.get("check_images").asInt());
        assertEquals(manifest.get("planned_peak_bytes").asLong(), manifest.get("arena_bytes").asLong(),
                "the arena is the planned peak");
        assertTrue(!Files.exists(out.resolve("model-c.partial")), "the staging folder is gone");
        io.sparknas.export.HostCheck.Outcome host = io.sparknas.export.HostCheck.compileAndRun(cModel);
        assertEquals(0, host.exitCode(), host.output());
        assertTrue(host.output().contains("3 images") && host.output().contains(" 0 differ"), host.output());

        Path other = dir.resolve("other.json");
        Files.writeString(other, Files.readString(arch).replace("\"kernel\":5", "\"kernel\":7"));
        CliErrorsTest.Result mismatch = CliErrorsTest.run(with(TINY, "export", "--model",
                out.resolve("model.zip").toString(), "--arch", other.toString(), "--out", dir.resolve("x.onnx").toString()));
        assertEquals(2, mismatch.status());
        assertTrue(mismatch.err().contains("give the architecture the model was trained for"), mismatch.err());
        assertTrue(!Files.exists(dir.resolve("x.onnx")), "nothing written for a mismatch");
    }
}
