package io.sparknas.data;

import io.sparknas.seed.Seeds;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The embedded default dataset: detection images generated from a seed, so the whole pipeline runs on a fresh
 * machine without downloads.
 *
 * <p>Four classes that differ in shape and in a secondary cue — {@code disc} (an ellipse with a highlight),
 * {@code box} (a rectangle with a dark rim), {@code triangle} (pointing up or down), {@code cross} (a plus sign) —
 * in random colours. One to six objects per image, sides from 6 % to 60 % of the image (log-uniform, so small
 * objects are common), placed so that a later object hides at most half of an earlier one (partial occlusion).
 * Backgrounds are cluttered: a colour gradient, low-contrast stripes, thin lines and small blobs; then global
 * brightness and contrast jitter and Gaussian pixel noise. Every image is a pure function of (seed, split,
 * index), so any subset can be regenerated on any executor.
 */
public final class SyntheticDetectionSet implements GeneratedDetectionSet {

    /** The class names, in id order. */
    public static final List<String> CLASSES = List.of("disc", "box", "triangle", "cross");

    private static final double MIN_SIDE = 0.06;
    private static final double MAX_SIDE = 0.60;
    private static final int PLACEMENT_TRIES = 20;

    private final SyntheticSpec spec;

    public SyntheticDetectionSet(SyntheticSpec spec) {
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
        SplittableRandom random = new SplittableRandom(Seeds.derive(spec.seed(), "synthetic", split.ordinal(), index));
        int size = spec.imageSize();
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        SyntheticScenery.clutter(g, size, random);
        List<LabeledObject> objects = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            LabeledObject placed = place(objects, size, random);
            if (placed != null) {
                drawObject(g, placed, random);
                objects.add(placed);
            }
        }
        g.dispose();
        String id = split.folderName() + "-" + String.format("%06d", index);
        return new DetectionImage(id, size, size, SyntheticScenery.finish(canvas, random), objects);
    }

    private static LabeledObject place(List<LabeledObject> existing, int size, SplittableRandom random) {
        for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
            double side = size * Math.exp(random.nextDouble(Math.log(MIN_SIDE), Math.log(MAX_SIDE)));
            double aspect = random.nextDouble(0.8, 1.25);
            double w = Math.min(size * MAX_SIDE, side * Math.sqrt(aspect));
            double h = Math.min(size * MAX_SIDE, side / Math.sqrt(aspect));
            double x = random.nextDouble(0, size - w);
            double y = random.nextDouble(0, size - h);
            Box box = new Box(Math.floor(x), Math.floor(y), Math.ceil(x + w), Math.ceil(y + h)).clip(size, size);
            boolean hidesTooMuch = false;
            for (LabeledObject other : existing) {
                if (overlap(other.box(), box) > 0.5 * other.box().area()) {
                    hidesTooMuch = true;
                    break;
                }
            }
            if (!hidesTooMuch) {
                return new LabeledObject(random.nextInt(CLASSES.size()), box);
            }
        }
        return null;
    }

    private static double overlap(Box a, Box b) {
        double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        return w > 0 && h > 0 ? w * h : 0;
    }

    private static void drawObject(Graphics2D g, LabeledObject object, SplittableRandom random) {
        Box b = object.box();
        Color color = SyntheticScenery.vivid(random);
        double x = b.x1();
        double y = b.y1();
        double w = b.width();
        double h = b.height();
        g.setColor(color);
        switch (CLASSES.get(object.classId())) {
            case "disc" -> {
                g.fill(new Ellipse2D.Double(x, y, w, h));
                g.setColor(color.brighter().brighter());
                g.fill(new Ellipse2D.Double(x + w * 0.2, y + h * 0.2, w * 0.3, h * 0.3));
            }
            case "box" -> {
                g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
                g.setColor(color.darker().darker());
                float rim = (float) Math.max(1, Math.min(w, h) * 0.12);
                g.setStroke(new BasicStroke(rim));
                g.draw(new java.awt.geom.Rectangle2D.Double(x + rim / 2, y + rim / 2, w - rim, h - rim));
            }
            case "triangle" -> {
                Polygon p = new Polygon();
                if (random.nextBoolean()) {
                    p.addPoint((int) Math.round(x + w / 2), (int) Math.round(y));
                    p.addPoint((int) Math.round(x + w), (int) Math.round(y + h));
                    p.addPoint((int) Math.round(x), (int) Math.round(y + h));
                } else {
                    p.addPoint((int) Math.round(x), (int) Math.round(y));
                    p.addPoint((int) Math.round(x + w), (int) Math.round(y));
                    p.addPoint((int) Math.round(x + w / 2), (int) Math.round(y + h));
                }
                g.fillPolygon(p);
            }
            default -> {
                double arm = 0.34;
                g.fill(new java.awt.geom.Rectangle2D.Double(x + w * (0.5 - arm / 2), y, w * arm, h));
                g.fill(new java.awt.geom.Rectangle2D.Double(x, y + h * (0.5 - arm / 2), w, h * arm));
            }
        }
    }
}
