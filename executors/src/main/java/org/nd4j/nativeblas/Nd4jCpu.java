package org.nd4j.nativeblas;

/**
 * Compatibility shim for a bug in Deeplearning4j 1.0.0-M2.1: before it hands convolutions and BatchNorm to oneDNN,
 * DL4J's {@code BaseMKLDNNHelper} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name, but ND4J
 * M2.1 moved that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}. The lookup fails, every oneDNN
 * helper is dropped, and convolutions fall back to im2col, 10-25x slower. This class answers that lookup with the
 * real environment's answer; nothing else uses it. Remove it when DL4J fixes the name.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The part of ND4J's native environment that DL4J's helper check asks for. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The single instance, as ND4J's own environment is a singleton. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded ND4J build uses oneDNN (the question DL4J asks under its old name). */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
