package io.sparknas.supernet;

import io.sparknas.data.DetectionImage;
import io.sparknas.eval.PreparedImages;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The image batches that scoring subnets reads again and again, kept per JVM: the validation split letterboxed to a
 * resolution (with its label grids) and the BatchNorm recalibration batches of a seed. Preparing them (decoding,
 * letterboxing and labelling 750 images at 80 px) took longer than the validation forward pass of a small subnet in
 * ONNX Runtime, and every candidate of a search at the same resolution and seed needs exactly the same batches.
 *
 * <p>Entries are keyed by the identity of the image list (an executor's dataset is loaded once per JVM), the side and
 * the batching; the least recently used are dropped beyond a byte budget, by default an eighth of the heap limit
 * (ND4J's off-heap memory is bounded by the same figure). The arrays are shared read-only.
 */
final class ScoringInputs {

    private static final ScoringInputs SHARED = new ScoringInputs(Runtime.getRuntime().maxMemory() / 8);

    private record Key(ImagesIdentity images, String what, int side, int batchSize, int batches, long seed) {
    }

    /** A list compared by identity, not by its elements (comparing thousands of images would cost what is saved). */
    private record ImagesIdentity(List<DetectionImage> images) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ImagesIdentity that && that.images == images;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(images);
        }
    }

    private record Entry(Object value, long bytes) {
    }

    private final long budgetBytes;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ScoringInputs(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The JVM's cache. */
    static ScoringInputs shared() {
        return SHARED;
    }

    /** The validation images prepared at {@code side}, made by {@code prepare} when not kept. */
    PreparedImages validation(List<DetectionImage> images, int side, int batchSize, Supplier<PreparedImages> prepare) {
        Key key = new Key(new ImagesIdentity(images), "validation", side, batchSize, 0, 0L);
        return (PreparedImages) get(key, () -> {
            PreparedImages prepared = prepare.get();
            return new Entry(prepared, prepared.bytes());
        });
    }

    /** The recalibration batches of {@code seed} at {@code side}, made by {@code prepare} when not kept. */
    @SuppressWarnings("unchecked")
    List<DataSet> recalibration(List<DetectionImage> images, int side, int batchSize, int batches, long seed,
                                Supplier<List<DataSet>> prepare) {
        Key key = new Key(new ImagesIdentity(images), "recalibration", side, batchSize, batches, seed);
        return (List<DataSet>) get(key, () -> {
            List<DataSet> prepared = List.copyOf(prepare.get());
            long size = 0;
            for (DataSet batch : prepared) {
                size += batch.getFeatures().length() * batch.getFeatures().dataType().width();
                size += batch.getLabels().length() * batch.getLabels().dataType().width();
            }
            return new Entry(prepared, size);
        });
    }

    /** How many entries are kept. */
    synchronized int size() {
        return entries.size();
    }

    private Object get(Key key, Supplier<Entry> make) {
        synchronized (this) {
            Entry kept = entries.get(key);
            if (kept != null) {
                return kept.value();
            }
        }
        Entry made = make.get();
        synchronized (this) {
            Entry raced = entries.get(key);
            if (raced != null) {
                return raced.value();
            }
            if (made.bytes() <= budgetBytes) {
                entries.put(key, made);
                bytes += made.bytes();
                Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
                while (bytes > budgetBytes && oldest.hasNext()) {
                    Map.Entry<Key, Entry> next = oldest.next();
                    if (next.getKey().equals(key)) {
                        continue;
                    }
                    bytes -= next.getValue().bytes();
                    oldest.remove();
                }
            }
            return made.value();
        }
    }
}
