package io.sparknas.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparknas.data.DetectionImage;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.eval.PreparedImages;
import io.sparknas.space.TestSpaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-JVM cache of scoring batches: hits by list identity and batching, least recently used dropped. */
class ScoringInputsTest {

    private static final List<DetectionImage> IMAGES =
            new SyntheticDetectionSet(new SyntheticSpec(64, 12, 4, 4, 3)).generate().train();
    private static final DetectorEvaluator EVALUATOR = new DetectorEvaluator(TestSpaces.standard().head(), 4);

    @Test
    void keepsPreparedImagesWithinItsByteBudgetDroppingTheLeastRecentlyUsed() {
        long bytesAt32 = EVALUATOR.prepare(IMAGES, 32).bytes();
        ScoringInputs cache = new ScoringInputs(bytesAt32 * 5 + 1);
        AtomicInteger made = new AtomicInteger();
        PreparedImages first = validation(cache, IMAGES, 32, made);
        assertSame(first, validation(cache, IMAGES, 32, made), "a second request is served from the cache");
        assertEquals(1, made.get());
        validation(cache, IMAGES, 64, made);
        assertEquals(2, cache.size(), "32 px (1 unit) and 64 px (4 units) fit in 5 units");
        validation(cache, IMAGES, 32, made);
        assertEquals(2, made.get());
        validation(cache, IMAGES, 48, made);
        assertEquals(3, made.get());
        assertEquals(2, cache.size(), "48 px (2.25 units) pushes out the least recently used, 64 px");
        validation(cache, IMAGES, 32, made);
        assertEquals(3, made.get(), "32 px, used more recently, stayed");
        validation(cache, IMAGES, 64, made);
        assertEquals(4, made.get(), "64 px was dropped and is made again");
    }

    @Test
    void anEqualButDistinctListOfImagesIsAnotherEntry() {
        ScoringInputs cache = new ScoringInputs(Long.MAX_VALUE);
        AtomicInteger made = new AtomicInteger();
        validation(cache, IMAGES, 32, made);
        validation(cache, new ArrayList<>(IMAGES), 32, made);
        assertEquals(2, made.get());
        assertEquals(2, cache.size());
    }

    @Test
    void anEntryLargerThanTheBudgetIsServedButNotKept() {
        ScoringInputs cache = new ScoringInputs(16);
        AtomicInteger made = new AtomicInteger();
        PreparedImages images = validation(cache, IMAGES, 32, made);
        assertEquals(IMAGES.size(), images.batches().stream().mapToLong(b -> b.size(0)).sum());
        assertEquals(0, cache.size());
    }

    private static PreparedImages validation(ScoringInputs cache, List<DetectionImage> images, int side,
                                             AtomicInteger made) {
        return cache.validation(images, side, 4, () -> {
            made.incrementAndGet();
            return EVALUATOR.prepare(images, side);
        });
    }
}
