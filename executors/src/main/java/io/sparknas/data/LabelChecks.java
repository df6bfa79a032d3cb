package io.sparknas.data;

/** The checks every reader applies to a labelled box before it is trusted. */
final class LabelChecks {

    /** Boxes may reach half a pixel past the border (rounding in annotation tools); more is an error. */
    private static final double TOLERANCE = 0.5;

    private LabelChecks() {
    }

    /** Why the box is unusable, or null when it is fine. */
    static String problem(Box box, int width, int height) {
        if (!Double.isFinite(box.x1()) || !Double.isFinite(box.y1()) || !Double.isFinite(box.x2())
                || !Double.isFinite(box.y2())) {
            return "box " + describe(box) + " has a non-numeric coordinate";
        }
        if (box.x2() <= box.x1() || box.y2() <= box.y1()) {
            return "box " + describe(box) + " has zero area";
        }
        if (box.x1() < -TOLERANCE || box.y1() < -TOLERANCE || box.x2() > width + TOLERANCE
                || box.y2() > height + TOLERANCE) {
            return "box " + describe(box) + " lies outside the " + width + "x" + height + " image";
        }
        return null;
    }

    static String describe(Box box) {
        return String.format(java.util.Locale.ROOT, "[%.1f, %.1f, %.1f, %.1f]", box.x1(), box.y1(), box.x2(), box.y2());
    }
}
