package io.sparknas.data;

import java.util.List;

/**
 * Where a run's detection data comes from: the built-in synthetic set or a VOC, COCO or YOLO folder.
 * Serializable, so tasks can load the same data on executors.
 *
 * @param format    the folder layout; null for the synthetic set
 * @param path      the folder (ignored for the synthetic set)
 * @param classes   class names in id order; empty to take the dataset's own
 * @param strict    fail on the first bad image or label
 * @param synthetic the synthetic set's size and seed
 */
public record DatasetSource(DatasetFormat format, String path, List<String> classes, boolean strict,
                            SyntheticSpec synthetic) implements java.io.Serializable {

    public DatasetSource {
        classes = List.copyOf(classes);
    }

    /** Whether this is the built-in synthetic set. */
    public boolean isSynthetic() {
        return format == null;
    }

    /**
     * The class list, reading no image: {@code classes} when given; the synthetic set's own; else the dataset's (see
     * {@link DatasetReader#classes}).
     *
     * @throws DataFormatException when the given names do not match the synthetic set's, or the dataset's folder or
     *                             class list cannot be read (the message names the folder or file)
     */
    public ClassList classList(DataFiles files) {
        if (isSynthetic()) {
            checkSyntheticClasses();
            return new ClassList(SyntheticDetectionSet.CLASSES, classes.isEmpty() ? ClassList.Origin.SYNTHETIC
                    : ClassList.Origin.GIVEN);
        }
        return DatasetReader.of(format, files).classes(path, classes);
    }

    /** This source with its class names fixed (a resolved {@link #classList}), so every reader uses the same ids. */
    public DatasetSource withClasses(List<String> names) {
        return new DatasetSource(format, path, names, strict, synthetic);
    }

    /** Loads (or generates) the dataset. */
    public DetectionDataset load(DataFiles files) {
        if (isSynthetic()) {
            checkSyntheticClasses();
            return new SyntheticDetectionSet(synthetic).generate();
        }
        return DatasetReader.of(format, files).read(path, classes, strict);
    }

    private void checkSyntheticClasses() {
        if (!classes.isEmpty() && !classes.equals(SyntheticDetectionSet.CLASSES)) {
            throw new DataFormatException("data.classes " + classes + " does not match the synthetic set's "
                    + SyntheticDetectionSet.CLASSES);
        }
    }

    /** A one-line description for logs. */
    public String describe() {
        return isSynthetic()
                ? "synthetic " + synthetic.imageSize() + "px (" + synthetic.train() + "/" + synthetic.val() + "/"
                        + synthetic.test() + " images, seed " + synthetic.seed() + ")"
                : format.name().toLowerCase(java.util.Locale.ROOT) + " at " + path;
    }
}
