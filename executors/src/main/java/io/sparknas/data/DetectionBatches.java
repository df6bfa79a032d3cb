package io.sparknas.data;

import io.sparknas.seed.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link DataSetIterator} over labelled images: batches of {@code [N, 3, side, side]} inputs in [0, 1]
 * and {@code [N, A·(5 + C), G, G]} YOLO labels. Training batches are shuffled and augmented with randomness derived
 * from (seed, epoch, image), so an epoch is reproducible whatever happened before it — or they show a fixed set of
 * augmented views ({@link AugmentedViews}), for inputs whose teacher outputs were computed ahead.
 */
public final class DetectionBatches implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final List<DetectionImage> images;
    private final int side;
    private final int grid;
    private final List<double[]> anchors;
    private final int classes;
    private final int batchSize;
    private final Augmentation augmentation;
    private final boolean shuffle;
    private final long seed;
    private final AugmentedViews views;
    private final List<float[]> teacher;
    private List<Integer> order;
    private int cursor;
    private int epoch;
    private DataSetPreProcessor preProcessor;

    /**
     * @param anchors      anchor (width, height) pairs in grid cells
     * @param augmentation {@link Augmentation#NONE} for evaluation
     * @param shuffle      whether to shuffle each epoch
     */
    public DetectionBatches(List<DetectionImage> images, int side, int grid, List<double[]> anchors, int classes,
                            int batchSize, Augmentation augmentation, boolean shuffle, long seed) {
        this(images, side, grid, anchors, classes, batchSize, augmentation, shuffle, seed, null);
    }

    /**
     * Batches for distillation: each label holds the ground truth and then the teacher's raw outputs for the same
     * image, {@code [N, 2·A·(5 + C), G, G]}. The teacher's outputs were computed on the un-augmented images, so
     * these batches are not augmented (for augmented distillation batches, see the constructor with
     * {@link AugmentedViews}).
     *
     * @param teacher per image (same order as {@code images}), the teacher's raw outputs {@code [A·(5 + C), G, G]}
     *                flattened; null for plain batches
     */
    public DetectionBatches(List<DetectionImage> images, int side, int grid, List<double[]> anchors, int classes,
                            int batchSize, Augmentation augmentation, boolean shuffle, long seed,
                            List<float[]> teacher) {
        this(images, side, grid, anchors, classes, batchSize, augmentation, null, shuffle, seed, teacher);
    }

    /**
     * Batches of a fixed set of augmented views: epoch {@code e} shows every image's view {@code e mod
     * views.count()}, shuffled by {@code seed}. With a teacher, each label holds the ground truth and then the
     * teacher's raw outputs for the same view of the same image.
     *
     * @param teacher per view and image (view-major: view {@code v} of image {@code i} at {@code v·N + i}), the
     *                teacher's raw outputs {@code [A·(5 + C), G, G]} flattened; null for plain batches
     */
    public DetectionBatches(List<DetectionImage> images, int side, int grid, List<double[]> anchors, int classes,
                            int batchSize, AugmentedViews views, boolean shuffle, long seed, List<float[]> teacher) {
        this(images, side, grid, anchors, classes, batchSize, Augmentation.NONE, views, shuffle, seed, teacher);
    }

    private DetectionBatches(List<DetectionImage> images, int side, int grid, List<double[]> anchors, int classes,
                             int batchSize, Augmentation augmentation, AugmentedViews views, boolean shuffle,
                             long seed, List<float[]> teacher) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to iterate over");
        }
        this.images = List.copyOf(images);
        this.side = side;
        this.grid = grid;
        this.anchors = List.copyOf(anchors);
        this.classes = classes;
        this.batchSize = batchSize;
        this.augmentation = augmentation;
        this.shuffle = shuffle;
        this.seed = seed;
        this.views = views;
        if (teacher != null) {
            int expected = anchors.size() * (5 + classes) * grid * grid;
            if (!augmentation.equals(Augmentation.NONE)) {
                throw new IllegalArgumentException("teacher outputs are for fixed inputs: distillation batches take "
                        + "augmented views, not augmentation drawn afresh every epoch");
            }
            int inputs = views == null ? images.size() : views.count() * images.size();
            if (teacher.size() != inputs) {
                throw new IllegalArgumentException(teacher.size() + " teacher outputs for " + images.size()
                        + " images" + (views == null ? "" : " in " + views.count() + " views"));
            }
            for (int i = 0; i < teacher.size(); i++) {
                if (teacher.get(i).length != expected) {
                    throw new IllegalArgumentException("teacher output " + i + " has " + teacher.get(i).length
                            + " values, the " + grid + "x" + grid + " grid needs " + expected);
                }
            }
        }
        this.teacher = teacher == null ? null : List.copyOf(teacher);
        startEpoch(0);
    }

    /** Restarts at epoch {@code epoch} (its own shuffle and augmentation). */
    public void startEpoch(int newEpoch) {
        this.epoch = newEpoch;
        List<Integer> indices = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            indices.add(i);
        }
        if (shuffle) {
            Collections.shuffle(indices, new Random(Seeds.derive(seed, "shuffle", newEpoch)));
        }
        this.order = indices;
        this.cursor = 0;
    }

    /** Number of images. */
    public int size() {
        return images.size();
    }

    @Override
    public DataSet next(int num) {
        DataSet batch = render(cursor, num);
        cursor += batch.getFeatures().size(0);
        return batch;
    }

    /** Batches per epoch. */
    public int batchCount() {
        return (images.size() + batchSize - 1) / batchSize;
    }

    /**
     * Batch number {@code index} of the current epoch, without moving the iterator: iterators over the same images
     * and seed at different sides give the same images, shuffled and augmented alike, in their batch {@code index}.
     */
    public DataSet batch(int index) {
        if (index < 0 || index >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchCount());
        }
        return render(index * batchSize, batchSize);
    }

    /**
     * Part {@code part} of {@code parts} of batch {@code index}: its images {@code [n·part/parts, n·(part+1)/parts)}
     * (n the batch's size), rendered exactly as {@link #batch(int)} renders them; null when the part is empty.
     * Data-parallel training gives each task one part.
     */
    public DataSet batchPart(int index, int part, int parts) {
        if (index < 0 || index >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchCount());
        }
        if (part < 0 || part >= parts) {
            throw new IndexOutOfBoundsException("part " + part + " of " + parts);
        }
        int n = Math.min(batchSize, images.size() - index * batchSize);
        int from = (int) ((long) n * part / parts);
        int to = (int) ((long) n * (part + 1) / parts);
        return to == from ? null : render(index * batchSize + from, to - from);
    }

    private DataSet render(int from, int num) {
        int n = Math.min(num, images.size() - from);
        float[] features = new float[n * 3 * side * side];
        int labelChannels = anchors.size() * (5 + classes);
        int channels = teacher == null ? labelChannels : 2 * labelChannels;
        int block = labelChannels * grid * grid;
        float[] labels = new float[n * channels * grid * grid];
        for (int i = 0; i < n; i++) {
            int index = order.get(from + i);
            DetectionImage image = images.get(index);
            Augmentation drawn = views == null ? augmentation : views.augmentation();
            boolean augment = !drawn.equals(Augmentation.NONE);
            SplittableRandom random = !augment ? null : views == null
                    ? new SplittableRandom(Seeds.derive(seed, "augment", epoch, index))
                    : views.random(views.viewOf(epoch), image);
            DetectionTensors.Placement placement = augment
                    ? DetectionTensors.augmented(image, side, drawn, random)
                    : DetectionTensors.letterbox(image, side);
            DetectionTensors.pixels(image, placement, drawn, random, features, i * 3 * side * side);
            DetectionTensors.labels(DetectionTensors.objects(image, placement), side, grid, anchors, classes, labels,
                    i * channels * grid * grid);
            if (teacher != null) {
                int input = views == null ? index : views.viewOf(epoch) * images.size() + index;
                System.arraycopy(teacher.get(input), 0, labels, i * channels * grid * grid + block, block);
            }
        }
        DataSet batch = new DataSet(Nd4j.create(features, new long[] {n, 3, side, side}),
                Nd4j.create(labels, new long[] {n, channels, grid, grid}));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < images.size();
    }

    @Override
    public int inputColumns() {
        return 3 * side * side;
    }

    @Override
    public int totalOutcomes() {
        return anchors.size() * (5 + classes);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Starts the next epoch. */
    @Override
    public void reset() {
        startEpoch(epoch + 1);
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
