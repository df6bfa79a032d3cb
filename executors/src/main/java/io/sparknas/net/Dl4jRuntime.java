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

    /** Enables DL4J's oneDNN helpers unless the user decided otherwise. Idempotent. */
    public static void configure() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
    }
}
