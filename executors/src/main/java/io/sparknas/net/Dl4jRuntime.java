package io.sparknas.net;

/**
 * Process-wide Deeplearning4j settings SparkNAS relies on, applied once before the first network is built.
 *
 * <p>DL4J 1.0.0-M2.1 disables its oneDNN layer helpers unless the system property
 * {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false}; without them convolutions and BatchNorm
 * run 10-25x slower on CPU. A user who sets the property explicitly keeps their choice.
 * (See also {@link org.nd4j.nativeblas.Nd4jCpu}, which repairs DL4J's helper detection.)
 */
public final class Dl4jRuntime {

    /** The DL4J switch for oneDNN/cuDNN layer helpers. */
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private Dl4jRuntime() {
    }

    /**
     * Limits the calling thread's ND4J operations to {@code threads} threads: ND4J's own thread pool and the
     * OpenMP parallel regions (oneDNN convolutions) that this thread starts, whose default is one thread per core
     * whatever ND4J's limit says. A Spark task calls it first, so that tasks x threads does not oversubscribe the
     * cores: two tasks on two cores, each left at the OpenMP default, ran about 1.3x slower than with one thread
     * each (docs/benchmarks.md, issue 19).
     */
    public static void useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** How often {@link OffHeapCollector} asks the JVM for a collection, milliseconds ({@link #configure}). */
    public static final long GC_INTERVAL_MS = 10_000;

    /**
     * Enables DL4J's oneDNN helpers unless the user decided otherwise, and starts this process's
     * {@link OffHeapCollector}. Idempotent.
     */
    public static void configure() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        OffHeapCollector.start(GC_INTERVAL_MS);
    }
}
