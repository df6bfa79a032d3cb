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

    /** Loads (or generates) the dataset. */
    public DetectionDataset load(DataFiles files) {
        if (isSynthetic()) {
            DetectionDataset generated = new SyntheticDetectionSet(synthetic).generate();
            if (!classes.isEmpty() && !classes.equals(generated.classes())) {
                throw new DataFormatException("data.classes " + classes + " does not match the synthetic set's "
                        + generated.classes());
            }
            return generated;
        }
        return DatasetReader.of(format, files).read(path, classes, strict);
    }

    /** A one-line description for logs. */
    public String describe() {
        return isSynthetic()
                ? "synthetic " + synthetic.imageSize() + "px (" + synthetic.train() + "/" + synthetic.val() + "/"
                        + synthetic.test() + " images, seed " + synthetic.seed() + ")"
                : format.name().toLowerCase(java.util.Locale.ROOT) + " at " + path;
    }
}
