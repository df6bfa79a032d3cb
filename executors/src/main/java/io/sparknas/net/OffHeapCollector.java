package io.sparknas.net;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the JVM for a collection at a fixed interval, so that ND4J arrays nobody references any more give their
 * off-heap memory back while a network trains.
 *
 * <p>Every training batch, augmented image, activation and gradient outside a workspace is an off-heap buffer
 * behind a small on-heap handle, freed only when a collection finds the handle unreachable. Handles that live
 * through a few young collections (those of the arrays a step keeps until the next) are promoted, and the old
 * generation of a heap that the handles barely fill is never collected: a default run's final trainings grew by
 * 1-2 GB a minute until the kernel killed the JVM at 22.5 GB. ND4J's own periodic collection does not help under
 * load: its thread collects only when its reference queue is empty, which it never is while a network trains.
 * Measured on the MobileNetV2-style baseline (docs/benchmarks.md, issue 23): one forced collection took the
 * outstanding buffers from 365,000 to 50,000 and resident memory stayed flat for the next minute.
 *
 * <p>Hand-written because neither the JVM (G1's periodic collection waits for a pause in young collections) nor
 * ND4J offers a collection on a fixed clock. One daemon thread per process, started by {@link Dl4jRuntime#configure}.
 */
public final class OffHeapCollector {

    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static ScheduledExecutorService timer;

    private OffHeapCollector() {
    }

    /** Starts the collector with this interval, once per process; later calls change nothing. */
    static synchronized void start(long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("the collection interval must be positive, got " + intervalMillis);
        }
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sparknas-offheap-collector");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(OffHeapCollector::collect, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Whether the collector runs in this process. */
    public static synchronized boolean running() {
        return timer != null;
    }

    /** Collections the collector has asked for so far in this process. */
    public static long collections() {
        return COLLECTIONS.get();
    }

    private static void collect() {
        System.gc();
        COLLECTIONS.incrementAndGet();
    }
}
