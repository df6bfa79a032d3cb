package io.sparknas.data;

import io.sparknas.seed.Seeds;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The second built-in dataset ({@code data.source = synthetic-real}): real image content, handwritten MNIST digits,
 * placed the way objects appear in a user's photographs, so a search can be tried on data less regular than the
 * geometric shapes of {@link SyntheticDetectionSet} without downloading anything.
 *
 * <p>Ten classes, {@code zero} … {@code nine}. One to seven digits per image, each a real glyph (1,500 shipped on the
 * classpath, see {@link DigitGlyphs}) stretched to its own aspect ratio (width / height 0.4 to 2.4) and scaled so the
 * side of its box ranges from 8 % to 55 % of the image (log-uniform, so small objects are common), tinted with a
 * two-colour gradient (now and then dark ink) and composited by its ink. A later digit may hide at most half of an
 * earlier one's box. Backgrounds are textured and cluttered: the shapes set's gradient, stripes, lines and blobs,
 * value noise, pen-like curved strokes, and unlabelled fragments of other glyphs (cropped and turned, so they are not
 * whole digits); then the same brightness, contrast and noise finish. Each box is the bounds of the pixels its digit
 * inked, computed from the rendered ink, not from the glyph's cell. Every image is a pure function of (seed, split,
 * index), like the shapes set, so any subset can be regenerated on any executor.
 */
public final class RealObjectsDetectionSet implements GeneratedDetectionSet {

    /** The class names, in id order: the digit each draws. */
    public static final List<String> CLASSES =
            List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    static final double MIN_SIDE = 0.08;
    static final double MAX_SIDE = 0.55;
    static final double MIN_ASPECT = 0.4;
    static final double MAX_ASPECT = 2.4;
    /** The most of an earlier object's box a later object's box may cover. */
    static final double MAX_HIDDEN = 0.5;
    /** Glyph coverage below which a pixel is not ink: neither drawn nor part of the box. */
    private static final double INK = 0.2;
    private static final int PLACEMENT_TRIES = 20;
    private static final int MAX_OBJECTS = 7;

    private final SyntheticSpec spec;

    /** A generator of {@code spec}'s size and seed; the glyphs are read when the first image is drawn. */
    public RealObjectsDetectionSet(SyntheticSpec spec) {
        this.spec = spec;
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }

    @Override
    public SyntheticSpec spec() {
        return spec;
    }

    @Override
    public DetectionImage image(Split split, int index) {
        return scene(split, index).image();
    }

    /** Image {@code index} of {@code split} with the ink each labelled object left, in object order. */
    Scene scene(Split split, int index) {
        SplittableRandom random = new SplittableRandom(
                Seeds.derive(spec.seed(), "synthetic-real", split.ordinal(), index));
        DigitGlyphs glyphs = DigitGlyphs.mnist();
        int size = spec.imageSize();
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        SyntheticScenery.clutter(g, size, random);
        drawStrokes(g, size, random);
        g.dispose();
        int[] pixels = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        addTexture(pixels, size, random);
        drawFragments(pixels, size, glyphs, random);
        List<LabeledObject> objects = new ArrayList<>();
        List<Ink> inks = new ArrayList<>();
        int count = 1 + random.nextInt(MAX_OBJECTS);
        for (int i = 0; i < count; i++) {
            int digit = random.nextInt(CLASSES.size());
            DigitGlyphs.Glyph glyph = glyphs.glyph(digit, random.nextInt(glyphs.count(digit)));
            Ink ink = place(glyph, objects, size, random);
            if (ink != null) {
                ink.composite(pixels, size, inkColors(pixels, size, ink, random));
                objects.add(new LabeledObject(digit, ink.bounds()));
                inks.add(ink);
            }
        }
        String id = split.folderName() + "-" + String.format("%06d", index);
        return new Scene(new DetectionImage(id, size, size, SyntheticScenery.finish(canvas, random), objects), inks);
    }

    /**
     * An image and the ink of each of its labelled objects.
     *
     * @param image the image
     * @param inks  the ink of {@code image.objects().get(i)} at {@code i}
     */
    record Scene(DetectionImage image, List<Ink> inks) {
    }

    /**
     * Where one glyph was stamped: its coverage over the destination cell {@code [x, x + width) × [y, y + height)},
     * 0 outside the ink and at least the ink threshold (0.2) inside it.
     *
     * @param alpha {@code width × height} coverages, row-major
     */
    record Ink(int x, int y, int width, int height, float[] alpha) {

        /** Coverage at image pixel (px, py); 0 outside the cell. */
        float at(int px, int py) {
            int u = px - x;
            int v = py - y;
            return u < 0 || v < 0 || u >= width || v >= height ? 0 : alpha[v * width + u];
        }

        /** The smallest box holding every inked pixel. */
        Box bounds() {
            int x1 = Integer.MAX_VALUE;
            int y1 = Integer.MAX_VALUE;
            int x2 = Integer.MIN_VALUE;
            int y2 = Integer.MIN_VALUE;
            for (int v = 0; v < height; v++) {
                for (int u = 0; u < width; u++) {
                    if (alpha[v * width + u] > 0) {
                        x1 = Math.min(x1, u);
                        y1 = Math.min(y1, v);
                        x2 = Math.max(x2, u + 1);
                        y2 = Math.max(y2, v + 1);
                    }
                }
            }
            return x2 < x1 ? null : new Box(x + x1, y + y1, x + x2, y + y2);
        }

        /** Blends {@code colors} (one packed RGB per cell pixel) into the image by this ink's coverage. */
        void composite(int[] pixels, int size, int[] colors) {
            for (int v = 0; v < height; v++) {
                for (int u = 0; u < width; u++) {
                    float a = alpha[v * width + u];
                    if (a > 0) {
                        int i = (y + v) * size + x + u;
                        pixels[i] = blend(pixels[i], colors[v * width + u], a);
                    }
                }
            }
        }
    }

    /** A size, aspect and position for the glyph whose box hides no earlier box too much; null after the tries. */
    private static Ink place(DigitGlyphs.Glyph glyph, List<LabeledObject> earlier, int size, SplittableRandom random) {
        double natural = (double) (glyph.x2() - glyph.x1()) / (glyph.y2() - glyph.y1());
        for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
            double side = size * Math.exp(random.nextDouble(Math.log(MIN_SIDE), Math.log(MAX_SIDE)));
            double stretch = Math.exp(random.nextDouble(Math.log(0.45), Math.log(2.6)));
            double aspect = Math.max(MIN_ASPECT, Math.min(MAX_ASPECT, natural * stretch));
            double w = side * Math.sqrt(aspect);
            double h = side / Math.sqrt(aspect);
            double x = random.nextDouble(0, size - w);
            double y = random.nextDouble(0, size - h);
            Ink ink = stamp(glyph, glyph.x1(), glyph.y1(), glyph.x2(), glyph.y2(), 0, x, y, w, h, size);
            Box box = ink == null ? null : ink.bounds();
            if (box != null && earlier.stream().noneMatch(o -> overlap(o.box(), box) > MAX_HIDDEN * o.box().area())) {
                return ink;
            }
        }
        return null;
    }

    /**
     * Renders the glyph rectangle {@code [sx1, sx2) × [sy1, sy2)}, turned by {@code quarterTurns} × 90°, into the
     * image rectangle at (x, y) of size w × h, supersampling when it shrinks; null when nothing is inked.
     */
    private static Ink stamp(DigitGlyphs.Glyph glyph, double sx1, double sy1, double sx2, double sy2,
                             int quarterTurns, double x, double y, double w, double h, int size) {
        int cx = (int) Math.floor(x);
        int cy = (int) Math.floor(y);
        int cw = Math.min(size, (int) Math.ceil(x + w)) - cx;
        int ch = Math.min(size, (int) Math.ceil(y + h)) - cy;
        boolean turned = quarterTurns % 2 == 1;
        double spanX = turned ? sy2 - sy1 : sx2 - sx1;
        double spanY = turned ? sx2 - sx1 : sy2 - sy1;
        int nx = Math.max(1, Math.min(4, (int) Math.ceil(spanX / w)));
        int ny = Math.max(1, Math.min(4, (int) Math.ceil(spanY / h)));
        float[] alpha = new float[cw * ch];
        boolean inked = false;
        for (int v = 0; v < ch; v++) {
            for (int u = 0; u < cw; u++) {
                double sum = 0;
                for (int j = 0; j < ny; j++) {
                    for (int i = 0; i < nx; i++) {
                        double s = (cx + u + (i + 0.5) / nx - x) / w;
                        double t = (cy + v + (j + 0.5) / ny - y) / h;
                        if (s >= 0 && s < 1 && t >= 0 && t < 1) {
                            double[] st = turn(s, t, quarterTurns);
                            sum += glyph.ink(sx1 + st[0] * (sx2 - sx1), sy1 + st[1] * (sy2 - sy1));
                        }
                    }
                }
                double a = sum / (nx * ny);
                if (a >= INK) {
                    alpha[v * cw + u] = (float) Math.min(1, a);
                    inked = true;
                }
            }
        }
        return inked ? new Ink(cx, cy, cw, ch, alpha) : null;
    }

    private static double[] turn(double s, double t, int quarterTurns) {
        return switch (quarterTurns & 3) {
            case 1 -> new double[] {t, 1 - s};
            case 2 -> new double[] {1 - s, 1 - t};
            case 3 -> new double[] {1 - t, s};
            default -> new double[] {s, t};
        };
    }

    /**
     * One colour per pixel of the ink's cell: a gradient between two vivid colours, or dark ink one time in four,
     * replaced by black or white when it would barely stand out from the background under it.
     */
    private static int[] inkColors(int[] pixels, int size, Ink ink, SplittableRandom random) {
        boolean dark = random.nextInt(4) == 0;
        Color from = dark ? Color.getHSBColor((float) random.nextDouble(), (float) random.nextDouble(0.2, 0.8),
                (float) random.nextDouble(0.05, 0.25)) : SyntheticScenery.vivid(random);
        Color to = SyntheticScenery.mix(from, SyntheticScenery.vivid(random), random.nextDouble(0.2, 0.7));
        double angle = random.nextDouble(2 * Math.PI);
        double background = 0;
        int inked = 0;
        for (int v = 0; v < ink.height(); v++) {
            for (int u = 0; u < ink.width(); u++) {
                if (ink.alpha()[v * ink.width() + u] > 0) {
                    background += luminance(pixels[(ink.y() + v) * size + ink.x() + u]);
                    inked++;
                }
            }
        }
        background /= Math.max(1, inked);
        double contrast = Math.abs(luminance(SyntheticScenery.mix(from, to, 0.5).getRGB()) - background);
        if (contrast < 60) {
            from = background > 128 ? Color.BLACK : Color.WHITE;
            to = SyntheticScenery.mix(from, to, 0.25);
        }
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double reach = Math.abs(cos) * ink.width() + Math.abs(sin) * ink.height();
        int[] colors = new int[ink.width() * ink.height()];
        for (int v = 0; v < ink.height(); v++) {
            for (int u = 0; u < ink.width(); u++) {
                double t = ((u - ink.width() / 2.0) * cos + (v - ink.height() / 2.0) * sin) / Math.max(1, reach) + 0.5;
                colors[v * ink.width() + u] = SyntheticScenery.mix(from, to, Math.max(0, Math.min(1, t))).getRGB();
            }
        }
        return colors;
    }

    /** Three to ten pen-like curves, as thick as the digits' strokes, so that a stroke alone is not an object. */
    private static void drawStrokes(Graphics2D g, int size, SplittableRandom random) {
        int strokes = 3 + random.nextInt(8);
        for (int i = 0; i < strokes; i++) {
            Color c = random.nextBoolean() ? SyntheticScenery.vivid(random) : SyntheticScenery.muted(random);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 120 + random.nextInt(120)));
            g.setStroke(new BasicStroke((float) random.nextDouble(1, Math.max(2, size * 0.03)), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            double x = random.nextDouble(size);
            double y = random.nextDouble(size);
            double reach = size * random.nextDouble(0.05, 0.35);
            g.draw(new QuadCurve2D.Double(x, y, x + random.nextDouble(-reach, reach), y + random.nextDouble(-reach, reach),
                    x + random.nextDouble(-reach, reach), y + random.nextDouble(-reach, reach)));
        }
    }

    /** Value noise of one random cell size (4 to 16 pixels) and amplitude, added to every channel. */
    private static void addTexture(int[] pixels, int size, SplittableRandom random) {
        int cell = 4 + random.nextInt(13);
        double amplitude = random.nextDouble(8, 30);
        int grid = size / cell + 2;
        double[] values = new double[grid * grid];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble(-1, 1);
        }
        for (int y = 0; y < size; y++) {
            double gy = (double) y / cell;
            int y0 = (int) gy;
            double fy = smooth(gy - y0);
            for (int x = 0; x < size; x++) {
                double gx = (double) x / cell;
                int x0 = (int) gx;
                double fx = smooth(gx - x0);
                double n = (1 - fy) * ((1 - fx) * values[y0 * grid + x0] + fx * values[y0 * grid + x0 + 1])
                        + fy * ((1 - fx) * values[(y0 + 1) * grid + x0] + fx * values[(y0 + 1) * grid + x0 + 1]);
                int shift = (int) Math.round(n * amplitude);
                int p = pixels[y * size + x];
                pixels[y * size + x] = rgb(((p >> 16) & 0xFF) + shift, ((p >> 8) & 0xFF) + shift, (p & 0xFF) + shift);
            }
        }
    }

    /**
     * Two to six unlabelled fragments of glyphs: a third to two thirds of a glyph's ink in each direction, turned by a
     * random quarter, drawn at the scale of a labelled digit (so their strokes are as thick), in background or object
     * colours.
     */
    private static void drawFragments(int[] pixels, int size, DigitGlyphs glyphs, SplittableRandom random) {
        int fragments = 2 + random.nextInt(5);
        for (int i = 0; i < fragments; i++) {
            int digit = random.nextInt(10);
            DigitGlyphs.Glyph glyph = glyphs.glyph(digit, random.nextInt(glyphs.count(digit)));
            double gw = glyph.x2() - glyph.x1();
            double gh = glyph.y2() - glyph.y1();
            double fw = gw * random.nextDouble(0.33, 0.67);
            double fh = gh * random.nextDouble(0.33, 0.67);
            double sx = glyph.x1() + random.nextDouble(gw - fw);
            double sy = glyph.y1() + random.nextDouble(gh - fh);
            double scale = size * Math.exp(random.nextDouble(Math.log(MIN_SIDE), Math.log(MAX_SIDE))) / gh;
            double w = Math.min(size - 1, fw * scale * random.nextDouble(0.7, 1.4));
            double h = Math.min(size - 1, fh * scale * random.nextDouble(0.7, 1.4));
            double x = random.nextDouble(0, size - w);
            double y = random.nextDouble(0, size - h);
            int turns = 1 + random.nextInt(3);
            Color c = random.nextBoolean() ? SyntheticScenery.vivid(random) : SyntheticScenery.muted(random);
            double opacity = random.nextDouble(0.4, 0.9);
            Ink ink = stamp(glyph, sx, sy, sx + fw, sy + fh, turns, x, y, w, h, size);
            if (ink != null) {
                for (int k = 0; k < ink.alpha().length; k++) {
                    ink.alpha()[k] *= (float) opacity;
                }
                int[] colors = new int[ink.alpha().length];
                Arrays.fill(colors, c.getRGB());
                ink.composite(pixels, size, colors);
            }
        }
    }

    private static double overlap(Box a, Box b) {
        double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        return w > 0 && h > 0 ? w * h : 0;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static double luminance(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    private static int blend(int under, int over, float a) {
        return rgb(Math.round(((under >> 16) & 0xFF) * (1 - a) + ((over >> 16) & 0xFF) * a),
                Math.round(((under >> 8) & 0xFF) * (1 - a) + ((over >> 8) & 0xFF) * a),
                Math.round((under & 0xFF) * (1 - a) + (over & 0xFF) * a));
    }

    private static int rgb(int r, int g, int b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
