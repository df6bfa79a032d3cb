package io.sparknas.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffHeapCollectorTest {

    @Test
    void configuringDl4jStartsACollectionOnTheCollectorsClock() throws InterruptedException {
        Dl4jRuntime.configure();
        assertTrue(OffHeapCollector.running());
        long before = OffHeapCollector.collections();
        long deadline = System.currentTimeMillis() + 2 * Dl4jRuntime.GC_INTERVAL_MS + 2_000;
        while (OffHeapCollector.collections() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(OffHeapCollector.collections() > before,
                "no collection within two intervals of " + Dl4jRuntime.GC_INTERVAL_MS + " ms");
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OffHeapCollector.start(0));
    }
}
