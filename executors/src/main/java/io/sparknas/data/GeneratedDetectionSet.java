package io.sparknas.data;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A built-in dataset drawn image by image from a seed: any image can be drawn alone, and the whole set is the same
 * on every machine and in every run with the same size and seed.
 */
public interface GeneratedDetectionSet {

    /** The class names, in id order. */
    List<String> classes();

    /** The set's image size, split sizes and seed. */
    SyntheticSpec spec();

    /** Image {@code index} of {@code split}. */
    DetectionImage image(Split split, int index);

    /** All images of one split, drawn in parallel on the calling JVM's common pool. */
    default List<DetectionImage> split(Split split) {
        return IntStream.range(0, spec().count(split)).parallel().mapToObj(i -> image(split, i)).toList();
    }

    /** The whole dataset. */
    default DetectionDataset generate() {
        return new DetectionDataset(classes(), split(Split.TRAIN), split(Split.VAL), split(Split.TEST), List.of());
    }
}
