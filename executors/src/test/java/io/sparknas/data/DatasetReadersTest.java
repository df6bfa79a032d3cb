package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** VOC, COCO and YOLO fixture folders written by the tests, then read back, then broken one way at a time. */
class DatasetReadersTest {

    private static final DetectionDataset SOURCE = new SyntheticDetectionSet(new SyntheticSpec(64, 4, 2, 2, 9)).generate();
    private static final List<String> NO_CLASSES = List.of();

    @TempDir
    Path dir;

    private Path write(DatasetFormat format) throws IOException {
        Path root = dir.resolve(format.name().toLowerCase());
        new DatasetWriter(DataFiles.local()).write(SOURCE, root.toString(), format);
        return root;
    }

    private static DetectionDataset read(DatasetFormat format, Path root) {
        return DatasetReader.of(format, DataFiles.local()).read(root.toString(), NO_CLASSES, false);
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void writtenDatasetsReadBackIdentically(DatasetFormat format) throws IOException {
        DetectionDataset back = read(format, write(format));
        assertEquals(SOURCE.classes(), back.classes());
        assertEquals(List.of(), back.issues());
        for (Split split : Split.values()) {
            List<DetectionImage> expected = SOURCE.split(split);
            List<DetectionImage> actual = back.split(split);
            assertEquals(expected.size(), actual.size(), split.name());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).id(), actual.get(i).id());
                assertArrayEquals(expected.get(i).rgb(), actual.get(i).rgb(), "PNG is lossless");
                assertEquals(expected.get(i).objects().size(), actual.get(i).objects().size());
                for (int o = 0; o < expected.get(i).objects().size(); o++) {
                    LabeledObject e = expected.get(i).objects().get(o);
                    LabeledObject a = actual.get(i).objects().get(o);
                    assertEquals(e.classId(), a.classId());
                    assertEquals(1.0, e.box().iou(a.box()), 1e-4, format + " box " + e.box() + " vs " + a.box());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void missingImageIsReportedAndSkipped(DatasetFormat format) throws IOException {
        Path root = write(format);
        Path image = imageOf(format, root, "train-000001");
        Files.delete(image);
        DetectionDataset back = read(format, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        assertOneIssue(back, "train-000001", "image file is missing");
        assertStrictFails(format, root, "image file is missing");
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void unreadableImageIsReportedAndSkipped(DatasetFormat format) throws IOException {
        Path root = write(format);
        Path image = imageOf(format, root, "train-000002");
        Files.writeString(image, "this is not a PNG");
        DetectionDataset back = read(format, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        assertOneIssue(back, image.getFileName().toString(), "not an image");
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void boxOutsideTheImage(DatasetFormat format) throws IOException {
        Path root = write(format);
        corruptFirstBox(format, root, "outside");
        DetectionDataset back = read(format, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        assertOneIssue(back, "", "lies outside the 64x64 image");
        assertStrictFails(format, root, "lies outside");
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void zeroAreaBox(DatasetFormat format) throws IOException {
        Path root = write(format);
        corruptFirstBox(format, root, "zero");
        DetectionDataset back = read(format, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        assertOneIssue(back, "", "has zero area");
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void unknownClass(DatasetFormat format) throws IOException {
        Path root = write(format);
        corruptFirstBox(format, root, "class");
        DetectionDataset back = read(format, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        assertOneIssue(back, "", "unknown class");
    }

    @Test
    void malformedVocXmlNamesTheFileAndLine() throws IOException {
        Path root = write(DatasetFormat.VOC);
        Path xml = root.resolve("Annotations/train-000000.xml");
        Files.writeString(xml, "<annotation>\n<object><name>disc</name>\n</annotation>");
        DetectionDataset back = read(DatasetFormat.VOC, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        assertOneIssue(back, "train-000000.xml", "malformed XML at line 3");
    }

    @Test
    void malformedCocoJsonNamesTheFileAndDropsOnlyThatSplit() throws IOException {
        Path root = write(DatasetFormat.COCO);
        Files.writeString(root.resolve("annotations/instances_val.json"), "{\"images\": [ {\"id\": 1,, ]");
        DetectionDataset back = read(DatasetFormat.COCO, root);
        assertEquals(0, back.val().size());
        assertEquals(SOURCE.train().size(), back.train().size());
        assertOneIssue(back, "instances_val.json", "malformed JSON at line 1");
    }

    @Test
    void malformedYoloLineNamesTheFileAndLine() throws IOException {
        Path root = write(DatasetFormat.YOLO);
        Path labels = root.resolve("labels/train/train-000000.txt");
        Files.writeString(labels, Files.readString(labels) + "2 0.5 0.5\n");
        DetectionDataset back = read(DatasetFormat.YOLO, root);
        assertEquals(SOURCE.train().size() - 1, back.train().size());
        int line = SOURCE.train().get(0).objects().size() + 1;
        assertOneIssue(back, "train-000000.txt:" + line, "expected 'class cx cy w h'");
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void theClassListComesFromWhereTheLayoutKeepsIt(DatasetFormat format) throws IOException {
        ClassList classes = DatasetReader.of(format, DataFiles.local()).classes(write(format).toString(), NO_CLASSES);
        assertEquals(List.of("disc", "box", "triangle", "cross"), classes.names());
        assertEquals(format == DatasetFormat.COCO ? ClassList.Origin.COCO_CATEGORIES : ClassList.Origin.CLASSES_TXT,
                classes.origin());
    }

    @Test
    void givenClassesAreTakenAsTheyAreWithoutReadingTheFolder() {
        ClassList classes = DatasetReader.of(DatasetFormat.VOC, DataFiles.local())
                .classes(dir.resolve("not-there").toString(), List.of("cat", "dog"));
        assertEquals(List.of("cat", "dog"), classes.names());
        assertEquals(ClassList.Origin.GIVEN, classes.origin());
    }

    @Test
    void vocWithoutClassesTxtTakesTheSortedNamesOfItsTrainAnnotations() throws IOException {
        Path root = VocFolders.tiny(dir.resolve("voc"));
        ClassList classes = DatasetReader.of(DatasetFormat.VOC, DataFiles.local()).classes(root.toString(), NO_CLASSES);
        assertEquals(ClassList.Origin.TRAIN_ANNOTATIONS, classes.origin());
        assertEquals("4 classes from the train annotations (no classes.txt): box, cross, disc, triangle",
                classes.describe());

        DetectionDataset back = read(DatasetFormat.VOC, root);
        assertEquals(List.of("box", "cross", "disc", "triangle"), back.classes());
        assertEquals(List.of(), back.issues());
        DetectionDataset source = new SyntheticDetectionSet(VocFolders.TINY).generate();
        for (Split split : Split.values()) {
            assertEquals(source.split(split).size(), back.split(split).size(), split.name());
            for (int i = 0; i < source.split(split).size(); i++) {
                List<LabeledObject> expected = source.split(split).get(i).objects();
                List<LabeledObject> actual = back.split(split).get(i).objects();
                assertEquals(expected.size(), actual.size());
                for (int o = 0; o < expected.size(); o++) {
                    assertEquals(source.classes().get(expected.get(o).classId()),
                            back.classes().get(actual.get(o).classId()), "each object keeps its class name");
                }
            }
        }
    }

    @Test
    void gatheredNamesAreTrimmedDeduplicatedAndTakenFromTheTrainSplitOnly() throws IOException {
        Path root = VocFolders.tiny(dir.resolve("voc"));
        addObject(root.resolve("Annotations/train-000000.xml"), "  zebra ");
        addObject(root.resolve("Annotations/train-000001.xml"), "zebra");
        addObject(root.resolve("Annotations/train-000002.xml"), "aardvark");
        addObject(root.resolve("Annotations/val-000000.xml"), "yak");
        DetectionDataset back = read(DatasetFormat.VOC, root);
        assertEquals(List.of("aardvark", "box", "cross", "disc", "triangle", "zebra"), back.classes());
        assertEquals(8, back.train().size());
        assertEquals(3, back.val().size());
        assertOneIssue(back, "val-000000.xml", "unknown class 'yak'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<name> </name>", "<name></name>", ""})
    void anObjectWithoutANameStopsTheGatheringAndNamesTheFile(String name) throws IOException {
        Path root = VocFolders.tiny(dir.resolve("voc"));
        Path xml = root.resolve("Annotations/train-000003.xml");
        Files.writeString(xml, Files.readString(xml).replaceFirst("<name>[^<]+</name>", name));
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(DatasetFormat.VOC, root));
        assertEquals(xml + ": object 1 has no <name>, which the class list is gathered from (there is no classes.txt)",
                e.getMessage());
    }

    @Test
    void vocWithNeitherClassesTxtNorATrainListHasNoClassList() throws IOException {
        Path root = VocFolders.tiny(dir.resolve("voc"));
        Files.delete(root.resolve("ImageSets/Main/train.txt"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(DatasetFormat.VOC, root));
        assertEquals(root + ": no class list: give data.classes or ship " + root.resolve("classes.txt"), e.getMessage());
    }

    @Test
    void aMissingDatasetFolderIsNamed() {
        Path nowhere = dir.resolve("nowhere");
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(DatasetFormat.VOC, nowhere));
        assertEquals(nowhere + ": dataset folder not found", e.getMessage());
    }

    /** Adds an object of class {@code name} with a box inside the 64-pixel image. */
    private static void addObject(Path xml, String name) throws IOException {
        Files.writeString(xml, Files.readString(xml).replace("</annotation>", "  <object>\n    <name>" + name
                + "</name>\n    <bndbox><xmin>3</xmin><ymin>3</ymin><xmax>20</xmax><ymax>20</ymax></bndbox>\n"
                + "  </object>\n</annotation>"));
    }

    private static void assertOneIssue(DetectionDataset back, String fileSuffix, String reasonPart) {
        assertEquals(1, back.issues().size(), back.issues().toString());
        DataIssue issue = back.issues().get(0);
        assertTrue(issue.file().endsWith(fileSuffix) || issue.file().contains(fileSuffix), issue.toString());
        assertTrue(issue.reason().contains(reasonPart), issue.toString());
    }

    private static void assertStrictFails(DatasetFormat format, Path root, String reasonPart) {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetReader.of(format, DataFiles.local()).read(root.toString(), NO_CLASSES, true));
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
    }

    private static Path imageOf(DatasetFormat format, Path root, String id) {
        return switch (format) {
            case VOC -> root.resolve("JPEGImages/" + id + ".png");
            case COCO -> root.resolve("images/train/" + id + ".png");
            case YOLO -> root.resolve("images/train/" + id + ".png");
        };
    }

    /** Breaks the first object of train-000000: "outside" moves it off the image, "zero" flattens it, "class" renames it. */
    private static void corruptFirstBox(DatasetFormat format, Path root, String how) throws IOException {
        Box b = SOURCE.train().get(0).objects().get(0).box();
        switch (format) {
            case VOC -> {
                Path xml = root.resolve("Annotations/train-000000.xml");
                String text = Files.readString(xml);
                String fixed = switch (how) {
                    case "outside" -> text.replaceFirst("<xmax>[^<]+</xmax>", "<xmax>90</xmax>");
                    case "zero" -> text.replaceFirst("<ymax>[^<]+</ymax>", "<ymax>" + (long) b.y1() + "</ymax>");
                    default -> text.replaceFirst("<name>[^<]+</name>", "<name>zebra</name>");
                };
                Files.writeString(xml, fixed);
            }
            case COCO -> {
                Path json = root.resolve("annotations/instances_train.json");
                String text = Files.readString(json);
                String first = "\"category_id\" : ";
                String fixed = switch (how) {
                    case "outside" -> text.replaceFirst("\"bbox\" : \\[ [^,]+,", "\"bbox\" : [ 60.0,");
                    case "zero" -> text.replaceFirst("(\"bbox\" : \\[ [^,]+, [^,]+, )[^,]+,", "$10.0,");
                    default -> text.replaceFirst(first + "\\d+", first + "99");
                };
                Files.writeString(json, fixed);
            }
            case YOLO -> {
                Path labels = root.resolve("labels/train/train-000000.txt");
                String[] lines = Files.readString(labels).split("\\R");
                String[] f = lines[0].split(" ");
                lines[0] = switch (how) {
                    case "outside" -> f[0] + " 0.98 " + f[2] + " 0.5 " + f[4];
                    case "zero" -> f[0] + " " + f[1] + " " + f[2] + " 0.0 " + f[4];
                    default -> "7 " + f[1] + " " + f[2] + " " + f[3] + " " + f[4];
                };
                Files.writeString(labels, String.join("\n", lines) + "\n");
            }
        }
    }
}
