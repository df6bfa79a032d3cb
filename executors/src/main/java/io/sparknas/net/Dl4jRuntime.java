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

    /** How often ND4J may ask the JVM for a collection, milliseconds ({@link #configure}). */
    public static final int GC_WINDOW_MS = 5_000;

    /**
     * Enables DL4J's oneDNN helpers unless the user decided otherwise, and ND4J's periodic garbage collection.
     * Idempotent.
     *
     * <p>Arrays made outside workspaces (every training batch, every augmented image) live off the heap and are
     * freed only when the JVM collects their small on-heap handles; with a large heap that rarely fills, nothing
     * collects them, and JavaCPP's own trigger sits at twice the heap plus the heap, above the machine's memory. A
     * default run grew by about 1.3 GB a minute in its final trainings and was killed by the kernel at 22.5 GB
     * on a 24 GB machine; ND4J's periodic collection (off by default) keeps such garbage to a few seconds' worth.
     */
    public static void configure() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        org.nd4j.linalg.api.memory.MemoryManager memory = org.nd4j.linalg.factory.Nd4j.getMemoryManager();
        if (!memory.isPeriodicGcActive()) {
            memory.setAutoGcWindow(GC_WINDOW_MS);
            memory.togglePeriodicGc(true);
        }
    }
}
