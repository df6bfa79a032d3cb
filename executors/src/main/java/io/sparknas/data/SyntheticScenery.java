package io.sparknas.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * The painting shared by the built-in generated datasets ({@link SyntheticDetectionSet}, {@link
 * RealObjectsDetectionSet}): a cluttered background, a camera-like finish (brightness and contrast jitter, Gaussian
 * pixel noise) and the random colours both draw from. Every method draws only from the random stream it is given,
 * so an image stays a pure function of its seed.
 */
final class SyntheticScenery {

    private SyntheticScenery() {
    }

    /**
     * A colour gradient from top to bottom, low-contrast stripes at a random angle, and 10 to 34 thin lines and
     * small blobs.
     */
    static void clutter(Graphics2D g, int size, SplittableRandom random) {
        Color from = muted(random);
        Color to = muted(random);
        for (int y = 0; y < size; y++) {
            double t = (double) y / size;
            g.setColor(mix(from, to, t));
            g.drawLine(0, y, size, y);
        }
        double period = random.nextDouble(6, 24);
        double angle = random.nextDouble(Math.PI);
        Color stripe = muted(random);
        g.setColor(new Color(stripe.getRed(), stripe.getGreen(), stripe.getBlue(), 40));
        g.setStroke(new BasicStroke((float) (period / 3)));
        for (double offset = -size; offset < 2 * size; offset += period) {
            double dx = Math.cos(angle) * 2 * size;
            double dy = Math.sin(angle) * 2 * size;
            g.drawLine((int) (offset - dx), (int) (-dy), (int) (offset + dx), (int) (dy));
        }
        int clutter = 10 + random.nextInt(25);
        for (int i = 0; i < clutter; i++) {
            Color c = random.nextInt(3) == 0 ? vivid(random) : muted(random);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90 + random.nextInt(120)));
            if (random.nextBoolean()) {
                g.setStroke(new BasicStroke((float) random.nextDouble(0.5, 2.0)));
                int x = random.nextInt(size);
                int y = random.nextInt(size);
                g.drawLine(x, y, x + random.nextInt(-size / 3, size / 3), y + random.nextInt(-size / 3, size / 3));
            } else {
                double r = random.nextDouble(1, Math.max(2, size * 0.025));
                g.fill(new Ellipse2D.Double(random.nextInt(size), random.nextInt(size), r * random.nextDouble(0.5, 2), r));
            }
        }
    }

    /** Contrast and brightness jitter and Gaussian pixel noise over the whole image; returns interleaved RGB bytes. */
    static byte[] finish(BufferedImage canvas, SplittableRandom random) {
        int w = canvas.getWidth();
        int h = canvas.getHeight();
        double contrast = random.nextDouble(0.75, 1.25);
        double brightness = random.nextDouble(-25, 25);
        double sigma = random.nextDouble(3, 12);
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            canvas.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                for (int c = 0; c < 3; c++) {
                    int value = (argb >> (16 - 8 * c)) & 0xFF;
                    double v = (value - 128) * contrast + 128 + brightness + random.nextGaussian() * sigma;
                    rgb[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
        return rgb;
    }

    /** A greyish colour of middle brightness, for backgrounds. */
    static Color muted(SplittableRandom random) {
        return Color.getHSBColor((float) random.nextDouble(), (float) random.nextDouble(0.05, 0.35),
                (float) random.nextDouble(0.3, 0.8));
    }

    /** A saturated, bright colour, for objects. */
    static Color vivid(SplittableRandom random) {
        return Color.getHSBColor((float) random.nextDouble(), (float) random.nextDouble(0.55, 1.0),
                (float) random.nextDouble(0.55, 1.0));
    }

    /** {@code a} blended with {@code b}, weight {@code t} on {@code b}. */
    static Color mix(Color a, Color b, double t) {
        return new Color((int) (a.getRed() * (1 - t) + b.getRed() * t), (int) (a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) (a.getBlue() * (1 - t) + b.getBlue() * t));
    }
}
