package io.sparknas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small Pascal VOC folders as VOC2007 and VOC2012 are published: without a classes.txt. Driver tests use it
 * too, through the executors test jar.
 */
public final class VocFolders {

    /** 8 train, 4 val and 4 test images of 64 pixels; with this seed the train split holds all four classes. */
    public static final SyntheticSpec TINY = new SyntheticSpec(64, 8, 4, 4, 11);

    private VocFolders() {
    }

    /** Writes {@code dataset} in VOC layout under {@code root} with {@link DatasetWriter}, then deletes classes.txt. */
    public static Path withoutClassesTxt(DetectionDataset dataset, Path root) throws IOException {
        new DatasetWriter(DataFiles.local()).write(dataset, root.toString(), DatasetFormat.VOC);
        Files.delete(root.resolve("classes.txt"));
        return root;
    }

    /** The synthetic set of {@link #TINY}, written under {@code root} without classes.txt. */
    public static Path tiny(Path root) throws IOException {
        return withoutClassesTxt(new SyntheticDetectionSet(TINY).generate(), root);
    }
}
