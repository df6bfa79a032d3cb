package io.sparknas.data;

import java.util.List;

/**
 * A detection dataset split three ways, with its class names. Selection uses {@code val}; {@code test} is only for
 * final figures.
 *
 * @param classes class names; a class id is an index into this list
 * @param train   training images
 * @param val     validation images
 * @param test    test images
 * @param issues  problems found while reading (empty for generated data)
 */
public record DetectionDataset(List<String> classes, List<DetectionImage> train, List<DetectionImage> val,
                               List<DetectionImage> test, List<DataIssue> issues) {

    public DetectionDataset {
        classes = List.copyOf(classes);
        train = List.copyOf(train);
        val = List.copyOf(val);
        test = List.copyOf(test);
        issues = List.copyOf(issues);
    }

    /** The images of a split. */
    public List<DetectionImage> split(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VAL -> val;
            case TEST -> test;
        };
    }
}
