package io.sparknas.data;

import java.util.List;

/**
 * Where a run's detection data comes from: a built-in generated set or a VOC, COCO or YOLO folder. Serializable, so
 * tasks can load the same data on executors.
 *
 * @param format    the folder layout; null for a built-in set
 * @param builtIn   the built-in set; null for a folder
 * @param path      the folder (ignored for a built-in set)
 * @param classes   class names in id order; empty to take the dataset's own
 * @param strict    fail on the first bad image or label
 * @param synthetic the built-in set's size and seed (for a folder, those of {@code data.synthetic})
 */
public record DatasetSource(DatasetFormat format, BuiltInDataset builtIn, String path, List<String> classes,
                            boolean strict, SyntheticSpec synthetic) implements java.io.Serializable {

    public DatasetSource {
        if ((format == null) == (builtIn == null)) {
            throw new IllegalArgumentException("a data source is either a folder layout or a built-in set");
        }
        classes = List.copyOf(classes);
    }

    /** Whether this is a built-in generated set. */
    public boolean isSynthetic() {
        return builtIn != null;
    }

    /**
     * The class list, reading no image: {@code classes} when given; the built-in set's own; else the dataset's (see
     * {@link DatasetReader#classes}).
     *
     * @throws DataFormatException when the given names do not match the built-in set's, or the dataset's folder or
     *                             class list cannot be read (the message names the folder or file)
     */
    public ClassList classList(DataFiles files) {
        if (isSynthetic()) {
            checkSyntheticClasses();
            return new ClassList(builtIn.classes(), classes.isEmpty() ? ClassList.Origin.SYNTHETIC
                    : ClassList.Origin.GIVEN);
        }
        return DatasetReader.of(format, files).classes(path, classes);
    }

    /** This source with its class names fixed (a resolved {@link #classList}), so every reader uses the same ids. */
    public DatasetSource withClasses(List<String> names) {
        return new DatasetSource(format, builtIn, path, names, strict, synthetic);
    }

    /** Loads (or generates) the dataset. */
    public DetectionDataset load(DataFiles files) {
        if (isSynthetic()) {
            checkSyntheticClasses();
            return builtIn.generate(synthetic);
        }
        return DatasetReader.of(format, files).read(path, classes, strict);
    }

    private void checkSyntheticClasses() {
        if (!classes.isEmpty() && !classes.equals(builtIn.classes())) {
            throw new DataFormatException("data.classes " + classes + " does not match the " + builtIn.sourceName()
                    + " set's " + builtIn.classes());
        }
    }

    /** A one-line description for logs. */
    public String describe() {
        return isSynthetic()
                ? builtIn.sourceName() + " " + synthetic.imageSize() + "px (" + synthetic.train() + "/"
                        + synthetic.val() + "/" + synthetic.test() + " images, seed " + synthetic.seed() + ")"
                : format.name().toLowerCase(java.util.Locale.ROOT) + " at " + path;
    }
}
