package io.sparknas.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The datasets generated in process from a seed, named by {@code data.source}: the geometric shapes and the
 * handwritten digits on cluttered backgrounds. Each has its own class list and its own configuration section.
 */
public enum BuiltInDataset {
    /** {@link SyntheticDetectionSet}: four shape classes; configured by {@code data.synthetic}. */
    SYNTHETIC("synthetic", SyntheticDetectionSet.CLASSES),
    /** {@link RealObjectsDetectionSet}: ten digit classes; configured by {@code data.synthetic-real}. */
    SYNTHETIC_REAL("synthetic-real", RealObjectsDetectionSet.CLASSES);

    private final String sourceName;
    private final List<String> classes;

    BuiltInDataset(String sourceName, List<String> classes) {
        this.sourceName = sourceName;
        this.classes = classes;
    }

    /** The set named by a {@code data.source} value (case-insensitive), if it names one. */
    public static Optional<BuiltInDataset> fromSourceName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (BuiltInDataset set : values()) {
            if (set.sourceName.equals(wanted)) {
                return Optional.of(set);
            }
        }
        return Optional.empty();
    }

    /** Its {@code data.source} value. */
    public String sourceName() {
        return sourceName;
    }

    /** Its configuration section under {@code data} (named like its source), holding image size, split sizes, seed. */
    public String section() {
        return sourceName;
    }

    /** Its class names, in id order. */
    public List<String> classes() {
        return classes;
    }

    /** Generates the whole set of {@code spec}'s size and seed. */
    public DetectionDataset generate(SyntheticSpec spec) {
        return switch (this) {
            case SYNTHETIC -> new SyntheticDetectionSet(spec).generate();
            case SYNTHETIC_REAL -> new RealObjectsDetectionSet(spec).generate();
        };
    }
}
