package io.sparknas.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a detection dataset from a folder on any Hadoop-readable path. Problems with single images are
 * reported in {@link DetectionDataset#issues()} with file and reason, and the images skipped; with
 * {@code strict} the first problem is an error.
 */
public abstract class DatasetReader {

    protected final DataFiles files;

    protected DatasetReader(DataFiles files) {
        this.files = files;
    }

    /** The reader for a format. */
    public static DatasetReader of(DatasetFormat format, DataFiles files) {
        return switch (format) {
            case VOC -> new VocReader(files);
            case COCO -> new CocoReader(files);
            case YOLO -> new YoloReader(files);
        };
    }

    /**
     * Reads all three splits.
     *
     * @param root    the dataset folder
     * @param classes the class names in id order; empty to take them from the dataset (see {@link #classes})
     * @param strict  fail on the first problem instead of skipping
     */
    public DetectionDataset read(String root, List<String> classes, boolean strict) {
        DataIssues issues = new DataIssues(strict);
        List<String> names = classes(root, classes).names();
        List<DetectionImage> train = readSplit(root, Split.TRAIN, names, issues);
        List<DetectionImage> val = readSplit(root, Split.VAL, names, issues);
        List<DetectionImage> test = readSplit(root, Split.TEST, names, issues);
        return new DetectionDataset(names, train, val, test, issues.all());
    }

    /**
     * The class list, reading no image: {@code given} when it is not empty (no I/O at all), else the list the dataset
     * declares (classes.txt for VOC and YOLO, the categories of the train annotations for COCO), else, for VOC, the
     * object names of the train annotations. Cheap enough for the driver to call while it loads the configuration.
     *
     * @param root  the dataset folder
     * @param given the class names in id order, or empty
     * @throws DataFormatException naming the folder or file when the folder does not exist, a file cannot be read or
     *                             the dataset has no class list
     */
    public ClassList classes(String root, List<String> given) {
        if (!given.isEmpty()) {
            return new ClassList(given, ClassList.Origin.GIVEN);
        }
        if (!files.exists(root)) {
            throw new DataFormatException(root + ": dataset folder not found");
        }
        return classesFromDataset(root).orElseThrow(() -> new DataFormatException(root
                + ": no class list: give data.classes or ship " + DataFiles.join(root, "classes.txt")));
    }

    /** Reads one split; never returns null. */
    protected abstract List<DetectionImage> readSplit(String root, Split split, List<String> classes, DataIssues issues);

    /** The class list the dataset itself has, or empty: here its classes.txt, one name per line. */
    protected Optional<ClassList> classesFromDataset(String root) {
        String path = DataFiles.join(root, "classes.txt");
        if (!files.exists(path)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : new String(files.read(path), StandardCharsets.UTF_8).split("\\R")) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot be read: " + e.getMessage());
        }
        if (names.isEmpty()) {
            throw new DataFormatException(path + ": no class names in it");
        }
        return Optional.of(new ClassList(names, ClassList.Origin.CLASSES_TXT));
    }
}
