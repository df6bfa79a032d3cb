package io.sparknas.data;

/**
 * An axis-aligned box in pixel coordinates: {@code [x1, x2) × [y1, y2)}, x to the right, y down.
 *
 * @param x1 left
 * @param y1 top
 * @param x2 right
 * @param y2 bottom
 */
public record Box(double x1, double y1, double x2, double y2) implements java.io.Serializable {

    /** Width (0 when degenerate). */
    public double width() {
        return Math.max(0, x2 - x1);
    }

    /** Height (0 when degenerate). */
    public double height() {
        return Math.max(0, y2 - y1);
    }

    /** Area (0 when degenerate). */
    public double area() {
        return width() * height();
    }

    /** Intersection over union with another box; 0 when either is empty. */
    public double iou(Box other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double intersection = w * h;
        return intersection / (area() + other.area() - intersection);
    }

    /** This box scaled by {@code sx} horizontally and {@code sy} vertically, then shifted by (dx, dy). */
    public Box transform(double sx, double sy, double dx, double dy) {
        return new Box(x1 * sx + dx, y1 * sy + dy, x2 * sx + dx, y2 * sy + dy);
    }

    /** This box clipped to {@code [0, width) × [0, height)}. */
    public Box clip(double width, double height) {
        return new Box(Math.max(0, Math.min(width, x1)), Math.max(0, Math.min(height, y1)),
                Math.max(0, Math.min(width, x2)), Math.max(0, Math.min(height, y2)));
    }
}
