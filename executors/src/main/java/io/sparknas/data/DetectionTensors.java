package io.sparknas.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a labelled image into network input and YOLO labels: letterbox to the square input side (aspect kept,
 * grey padding), optional augmentation (flip, scale and translation jitter, colour jitter), NCHW floats in
 * [0, 1], and the {@code [A·(5 + C), G, G]} label grid of {@link io.sparknas.net.YoloLoss}.
 *
 * <p>Resampling is written out here because it must fill a slice of a batch array directly and move the boxes by
 * exactly the same affine map; bilinear interpolation, outside pixels take the padding grey.
 */
public final class DetectionTensors {

    /** Padding value, mid grey. */
    public static final float PAD = 0.5f;
    /** Objects narrower or shorter than this many input pixels after augmentation are dropped. */
    private static final double MIN_SIDE_PIXELS = 2.0;
    /** Largest ratio of an object's side to an anchor's side (either way) for the anchor to be responsible. */
    public static final double ANCHOR_RATIO = 4.0;

    private DetectionTensors() {
    }

    /** Where an image lands in the input: input = source × scale + offset, then flipped if asked. */
    public record Placement(double scale, double offsetX, double offsetY, boolean flip, int side) {

        /** A source box in input pixels. */
        public Box map(Box box) {
            Box moved = box.transform(scale, scale, offsetX, offsetY);
            return flip ? new Box(side - moved.x2(), moved.y1(), side - moved.x1(), moved.y2()) : moved;
        }
    }

    /** Plain letterboxing, no augmentation. */
    public static Placement letterbox(DetectionImage image, int side) {
        double scale = (double) side / Math.max(image.width(), image.height());
        return new Placement(scale, (side - image.width() * scale) / 2, (side - image.height() * scale) / 2, false, side);
    }

    /** Letterboxing with random scale, shift and flip. */
    public static Placement augmented(DetectionImage image, int side, Augmentation aug, SplittableRandom random) {
        Placement base = letterbox(image, side);
        double scale = base.scale() * (1 + (aug.scale() > 0 ? random.nextDouble(-aug.scale(), aug.scale()) : 0));
        double cx = side / 2.0 + (aug.translate() > 0 ? random.nextDouble(-aug.translate(), aug.translate()) * side : 0);
        double cy = side / 2.0 + (aug.translate() > 0 ? random.nextDouble(-aug.translate(), aug.translate()) * side : 0);
        boolean flip = aug.flip() > 0 && random.nextDouble() < aug.flip();
        return new Placement(scale, cx - image.width() * scale / 2, cy - image.height() * scale / 2, flip, side);
    }

    /**
     * Writes the image's pixels into {@code out} at {@code offset} as planar RGB ({@code 3 × side × side}), with
     * the colour jitter of {@code aug} (none when {@code random} is null).
     */
    public static void pixels(DetectionImage image, Placement p, Augmentation aug, SplittableRandom random,
                              float[] out, int offset) {
        int side = p.side();
        double brightness = 0;
        double contrast = 1;
        double saturation = 1;
        if (random != null) {
            brightness = aug.brightness() > 0 ? random.nextDouble(-aug.brightness(), aug.brightness()) : 0;
            contrast = 1 + (aug.contrast() > 0 ? random.nextDouble(-aug.contrast(), aug.contrast()) : 0);
            saturation = 1 + (aug.saturation() > 0 ? random.nextDouble(-aug.saturation(), aug.saturation()) : 0);
        }
        int plane = side * side;
        double inv = 1.0 / p.scale();
        float[] rgb = new float[3];
        for (int y = 0; y < side; y++) {
            double sy = (y + 0.5 - p.offsetY()) * inv - 0.5;
            for (int x = 0; x < side; x++) {
                int xx = p.flip() ? side - 1 - x : x;
                double sx = (xx + 0.5 - p.offsetX()) * inv - 0.5;
                if (!sample(image, sx, sy, rgb)) {
                    rgb[0] = PAD;
                    rgb[1] = PAD;
                    rgb[2] = PAD;
                } else if (random != null) {
                    float grey = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
                    for (int c = 0; c < 3; c++) {
                        double v = grey + (rgb[c] - grey) * saturation;
                        v = (v - 0.5) * contrast + 0.5 + brightness;
                        rgb[c] = (float) Math.max(0, Math.min(1, v));
                    }
                }
                int index = offset + y * side + x;
                out[index] = rgb[0];
                out[index + plane] = rgb[1];
                out[index + 2 * plane] = rgb[2];
            }
        }
    }

    private static boolean sample(DetectionImage image, double sx, double sy, float[] rgb) {
        if (sx < -0.5 || sy < -0.5 || sx > image.width() - 0.5 || sy > image.height() - 0.5) {
            return false;
        }
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        int xa = clamp(x0, image.width());
        int xb = clamp(x0 + 1, image.width());
        int ya = clamp(y0, image.height());
        int yb = clamp(y0 + 1, image.height());
        for (int c = 0; c < 3; c++) {
            double top = image.pixel(xa, ya, c) * (1 - fx) + image.pixel(xb, ya, c) * fx;
            double bottom = image.pixel(xa, yb, c) * (1 - fx) + image.pixel(xb, yb, c) * fx;
            rgb[c] = (float) ((top * (1 - fy) + bottom * fy) / 255.0);
        }
        return true;
    }

    private static int clamp(int v, int size) {
        return v < 0 ? 0 : Math.min(size - 1, v);
    }

    /** The image's objects in input pixels, clipped, tiny remnants dropped, largest first. */
    public static List<LabeledObject> objects(DetectionImage image, Placement p) {
        List<LabeledObject> objects = new ArrayList<>();
        for (LabeledObject object : image.objects()) {
            Box box = p.map(object.box()).clip(p.side(), p.side());
            if (box.width() >= MIN_SIDE_PIXELS && box.height() >= MIN_SIDE_PIXELS) {
                objects.add(new LabeledObject(object.classId(), box));
            }
        }
        objects.sort(Comparator.comparingDouble((LabeledObject o) -> o.box().area()).reversed());
        return objects;
    }

    /**
     * Writes the label grid for {@code objects} (input pixels) into {@code out} at {@code offset}, in the layout
     * of the network's output, {@code [A·(5 + C), G, G]}: for each responsible (cell, anchor) slot the target of
     * the box centre's offset from the cell's corner mapped to [0, 1] ({@code (offset + 0.5) / 2}, offsets run from
     * −0.5 to 1.5, see {@link #centreOffset}), the log ratios of its width and height to the anchor's, 1 in
     * objectness, and the one-hot class; 0 everywhere else.
     *
     * <p>Each object is given several slots, as YOLOv5 assigns them: the cell holding its centre and the two
     * neighbouring cells nearest to the centre (one across, one down or up, where the grid has them), each with
     * every anchor whose shape is within a factor of {@link #ANCHOR_RATIO} of the object's in both sides (the
     * best-fitting anchor when none is). A slot already taken by a larger object stays with it. Several slots per
     * object give the class and box terms several times the examples of a single centre cell, and a detection from
     * a neighbouring cell is a right one rather than a false positive. An object left with no slot is counted.
     *
     * @param anchors anchor (width, height) pairs in cells
     * @return how many objects found no free slot
     */
    public static int labels(List<LabeledObject> objects, int side, int grid, List<double[]> anchors, int classes,
                             float[] out, int offset) {
        double cell = (double) side / grid;
        int plane = grid * grid;
        int stride = 5 + classes;
        boolean[] taken = new boolean[plane * anchors.size()];
        int dropped = 0;
        for (LabeledObject object : objects) {
            Box b = object.box();
            double cx = (b.x1() + b.x2()) / 2 / cell;
            double cy = (b.y1() + b.y2()) / 2 / cell;
            double w = b.width() / cell;
            double h = b.height() / cell;
            int gx = Math.min(grid - 1, Math.max(0, (int) cx));
            int gy = Math.min(grid - 1, Math.max(0, (int) cy));
            int[][] cells = {{gx, gy}, {cx - gx < 0.5 ? gx - 1 : gx + 1, gy}, {gx, cy - gy < 0.5 ? gy - 1 : gy + 1}};
            boolean[] fitting = fittingAnchors(w, h, anchors);
            int assigned = 0;
            for (int[] c : cells) {
                if (c[0] < 0 || c[0] >= grid || c[1] < 0 || c[1] >= grid) {
                    continue;
                }
                int at = c[1] * grid + c[0];
                for (int anchor = 0; anchor < anchors.size(); anchor++) {
                    if (!fitting[anchor] || taken[anchor * plane + at]) {
                        continue;
                    }
                    taken[anchor * plane + at] = true;
                    assigned++;
                    int base = offset + anchor * stride * plane;
                    out[base + at] = (float) ((centreOffset(cx, c[0]) + 0.5) / 2);
                    out[base + plane + at] = (float) ((centreOffset(cy, c[1]) + 0.5) / 2);
                    out[base + 2 * plane + at] = (float) Math.log(w / anchors.get(anchor)[0]);
                    out[base + 3 * plane + at] = (float) Math.log(h / anchors.get(anchor)[1]);
                    out[base + 4 * plane + at] = 1f;
                    out[base + (5 + object.classId()) * plane + at] = 1f;
                }
            }
            if (assigned == 0) {
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * The centre's offset from the corner of cell {@code g} along one axis, in cells, clamped to the range the head
     * can express, −0.5 to 1.5 (the decoder's {@code 2σ(t) − 0.5}).
     */
    static double centreOffset(double centre, int g) {
        return Math.min(1.5, Math.max(-0.5, centre - g));
    }

    /** The anchors within {@link #ANCHOR_RATIO} of the object's sides; the best-shaped one alone when none is. */
    private static boolean[] fittingAnchors(double w, double h, List<double[]> anchors) {
        boolean[] fitting = new boolean[anchors.size()];
        boolean any = false;
        for (int a = 0; a < anchors.size(); a++) {
            double rw = w / anchors.get(a)[0];
            double rh = h / anchors.get(a)[1];
            double worst = Math.max(Math.max(rw, 1 / rw), Math.max(rh, 1 / rh));
            fitting[a] = worst < ANCHOR_RATIO;
            any |= fitting[a];
        }
        if (!any) {
            fitting[bestAnchor(w, h, anchors)] = true;
        }
        return fitting;
    }

    private static int bestAnchor(double w, double h, List<double[]> anchors) {
        int best = 0;
        double bestIou = -1;
        for (int a = 0; a < anchors.size(); a++) {
            double aw = anchors.get(a)[0];
            double ah = anchors.get(a)[1];
            double inter = Math.min(w, aw) * Math.min(h, ah);
            double iou = inter / (w * h + aw * ah - inter);
            if (iou > bestIou) {
                bestIou = iou;
                best = a;
            }
        }
        return best;
    }
}
