package io.sparknas.seed;

/**
 * Derives independent seeds from one root seed and the coordinates of a unit of work (a generation, a cell, an
 * architecture), so that every task gets the same random stream whichever executor runs it, and however often.
 *
 * <p>Mixing uses the SplitMix64 finalizer (Steele, Lea, Flood 2014), the same function behind
 * {@link java.util.SplittableRandom}; written out here because the JDK does not expose it for arbitrary inputs.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A seed for the work identified by {@code parts}, derived from {@code root}. */
    public static long derive(long root, long... parts) {
        long h = mix(root ^ 0x9E3779B97F4A7C15L);
        for (long part : parts) {
            h = mix(h + 0x9E3779B97F4A7C15L + part);
        }
        return h;
    }

    /** A seed for work identified by a text key (e.g. a canonical architecture encoding). */
    public static long derive(long root, String key, long... parts) {
        long h = derive(root, parts);
        for (int i = 0; i < key.length(); i++) {
            h = mix(h + key.charAt(i));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
