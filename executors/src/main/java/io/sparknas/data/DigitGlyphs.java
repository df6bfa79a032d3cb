package io.sparknas.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Handwritten digit glyphs, the real image content of {@link RealObjectsDetectionSet}: 28 × 28 grey images (0
 * background, 255 ink) grouped by digit. {@link #mnist()} reads the MNIST subset shipped on the classpath
 * ({@code io/sparknas/data/mnist/}, whose README gives its provenance and licence) once per JVM.
 */
final class DigitGlyphs {

    /** Side of a glyph, pixels. */
    static final int SIDE = 28;

    private static final String FOLDER = "/io/sparknas/data/mnist/";

    private final List<List<Glyph>> byDigit;

    private DigitGlyphs(List<List<Glyph>> byDigit) {
        this.byDigit = byDigit;
    }

    /** The shipped MNIST subset, read on first use. */
    static DigitGlyphs mnist() {
        return Shipped.GLYPHS;
    }

    /** Number of glyphs of {@code digit}. */
    int count(int digit) {
        return byDigit.get(digit).size();
    }

    /** Glyph {@code index} of {@code digit}. */
    Glyph glyph(int digit, int index) {
        return byDigit.get(digit).get(index);
    }

    /**
     * One glyph and the bounds of its ink, {@code [x1, x2) × [y1, y2)}.
     *
     * @param pixels {@code SIDE × SIDE} grey levels, row-major
     */
    record Glyph(byte[] pixels, int x1, int y1, int x2, int y2) {

        /** Ink at a point in glyph pixels (pixel centres at integer + 0.5), bilinear, 0 outside; 0 … 1. */
        double ink(double x, double y) {
            double u = x - 0.5;
            double v = y - 0.5;
            int x0 = (int) Math.floor(u);
            int y0 = (int) Math.floor(v);
            double fx = u - x0;
            double fy = v - y0;
            return ((1 - fx) * (1 - fy) * at(x0, y0) + fx * (1 - fy) * at(x0 + 1, y0) + (1 - fx) * fy * at(x0, y0 + 1)
                    + fx * fy * at(x0 + 1, y0 + 1)) / 255.0;
        }

        private int at(int x, int y) {
            return x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : pixels[y * SIDE + x] & 0xFF;
        }

        private static Glyph of(byte[] pixels) {
            int x1 = SIDE;
            int y1 = SIDE;
            int x2 = 0;
            int y2 = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    if (pixels[y * SIDE + x] != 0) {
                        x1 = Math.min(x1, x);
                        y1 = Math.min(y1, y);
                        x2 = Math.max(x2, x + 1);
                        y2 = Math.max(y2, y + 1);
                    }
                }
            }
            if (x2 <= x1) {
                throw new IllegalStateException("a digit glyph without ink");
            }
            return new Glyph(pixels, x1, y1, x2, y2);
        }
    }

    /** Reads gzipped IDX image (magic 2051) and label (magic 2049) streams of 28 × 28 digits. */
    static DigitGlyphs read(InputStream images, InputStream labels) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(images));
             DataInputStream digits = new DataInputStream(new GZIPInputStream(labels))) {
            if (in.readInt() != 2051 || digits.readInt() != 2049) {
                throw new IOException("not IDX image and label files");
            }
            int count = in.readInt();
            if (digits.readInt() != count || in.readInt() != SIDE || in.readInt() != SIDE) {
                throw new IOException("IDX files of different counts or not 28 x 28");
            }
            List<List<Glyph>> byDigit = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                byDigit.add(new ArrayList<>());
            }
            for (int i = 0; i < count; i++) {
                byte[] pixels = new byte[SIDE * SIDE];
                in.readFully(pixels);
                int digit = digits.readUnsignedByte();
                if (digit > 9) {
                    throw new IOException("label " + digit + " is not a digit");
                }
                byDigit.get(digit).add(Glyph.of(pixels));
            }
            for (int d = 0; d < 10; d++) {
                if (byDigit.get(d).isEmpty()) {
                    throw new IOException("no glyph of digit " + d);
                }
            }
            return new DigitGlyphs(byDigit.stream().map(List::copyOf).toList());
        }
    }

    /** Holder: the shipped glyphs are read when first asked for, not when the class loads. */
    private static final class Shipped {
        private static final DigitGlyphs GLYPHS = load();

        private static DigitGlyphs load() {
            try (InputStream images = resource("glyphs-images-idx3-ubyte.gz");
                 InputStream labels = resource("glyphs-labels-idx1-ubyte.gz")) {
                return read(images, labels);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the digit glyphs " + FOLDER, e);
            }
        }

        private static InputStream resource(String name) throws IOException {
            InputStream in = DigitGlyphs.class.getResourceAsStream(FOLDER + name);
            if (in == null) {
                throw new IOException(FOLDER + name + " is not on the classpath");
            }
            return in;
        }
    }
}
