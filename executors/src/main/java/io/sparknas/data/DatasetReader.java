package io.sparknas.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
     * @param classes the class names in id order; empty to take them from the dataset (classes.txt for VOC and
     *                YOLO, the categories of the train annotations for COCO)
     * @param strict  fail on the first problem instead of skipping
     */
    public DetectionDataset read(String root, List<String> classes, boolean strict) {
        DataIssues issues = new DataIssues(strict);
        List<String> names = classes.isEmpty() ? classesFromDataset(root) : List.copyOf(classes);
        if (names.isEmpty()) {
            throw new DataFormatException(root + ": no class list: give data.classes or ship "
                    + DataFiles.join(root, "classes.txt"));
        }
        List<DetectionImage> train = readSplit(root, Split.TRAIN, names, issues);
        List<DetectionImage> val = readSplit(root, Split.VAL, names, issues);
        List<DetectionImage> test = readSplit(root, Split.TEST, names, issues);
        return new DetectionDataset(names, train, val, test, issues.all());
    }

    /** Reads one split; never returns null. */
    protected abstract List<DetectionImage> readSplit(String root, Split split, List<String> classes, DataIssues issues);

    /** The class list the dataset itself declares, or empty. */
    protected List<String> classesFromDataset(String root) {
        String path = DataFiles.join(root, "classes.txt");
        if (!files.exists(path)) {
            return List.of();
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : new String(files.read(path), StandardCharsets.UTF_8).split("\\R")) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
            return names;
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot be read: " + e.getMessage());
        }
    }
}
