package io.sparknas.data;

import java.util.List;

/**
 * A dataset's class names in id order, and where they came from.
 *
 * @param names  the class names; a class id is an index into this list
 * @param origin where the names were found
 */
public record ClassList(List<String> names, Origin origin) implements java.io.Serializable {

    /** Where a class list was found. */
    public enum Origin {
        /** Given by the configuration ({@code data.classes}). */
        GIVEN("from data.classes"),
        /** A built-in generated set's own classes (data.source synthetic or synthetic-real). */
        SYNTHETIC("of the synthetic set"),
        /** The dataset's {@code classes.txt}, one name per line. */
        CLASSES_TXT("from classes.txt"),
        /** Gathered from the object names of the train split's VOC annotations, sorted, as there is no classes.txt. */
        TRAIN_ANNOTATIONS("from the train annotations (no classes.txt)"),
        /** The categories of COCO's {@code annotations/instances_train.json}, in category id order. */
        COCO_CATEGORIES("from the categories of instances_train.json");

        private final String phrase;

        Origin(String phrase) {
            this.phrase = phrase;
        }
    }

    public ClassList {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a class list needs at least one name");
        }
        if (origin == null) {
            throw new IllegalArgumentException("a class list needs its origin");
        }
    }

    /** Number of classes. */
    public int size() {
        return names.size();
    }

    /** Whether the names were gathered from annotations rather than declared anywhere. */
    public boolean gathered() {
        return origin == Origin.TRAIN_ANNOTATIONS;
    }

    /** One line for people, e.g. {@code 20 classes from the train annotations (no classes.txt): aeroplane, bicycle}. */
    public String describe() {
        return names.size() + (names.size() == 1 ? " class " : " classes ") + origin.phrase + ": "
                + String.join(", ", names);
    }
}
