package io.sparknas.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** A grid of images with their boxes and class names drawn, so a person can check a dataset at a glance. */
public final class ContactSheet {

    private static final Color[] PALETTE = {Color.RED, Color.GREEN, Color.CYAN, Color.YELLOW, Color.MAGENTA,
        Color.ORANGE, Color.PINK, Color.WHITE};

    private ContactSheet() {
    }

    /** Draws up to {@code columns × rows} images, each scaled to {@code tile} pixels. */
    public static BufferedImage draw(List<DetectionImage> images, List<String> classes, int columns, int rows, int tile) {
        BufferedImage sheet = new BufferedImage(columns * tile, rows * tile, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, tile / 16)));
        int n = Math.min(images.size(), columns * rows);
        for (int i = 0; i < n; i++) {
            DetectionImage image = images.get(i);
            int ox = (i % columns) * tile;
            int oy = (i / columns) * tile;
            double scale = (double) tile / Math.max(image.width(), image.height());
            g.drawImage(ImageCodec.toBufferedImage(image), ox, oy, (int) (image.width() * scale),
                    (int) (image.height() * scale), null);
            g.setStroke(new BasicStroke(1.5f));
            for (LabeledObject object : image.objects()) {
                Box b = object.box().transform(scale, scale, ox, oy);
                g.setColor(PALETTE[object.classId() % PALETTE.length]);
                g.drawRect((int) b.x1(), (int) b.y1(), (int) b.width(), (int) b.height());
                g.drawString(classes.get(object.classId()), (int) b.x1() + 2, (int) b.y1() + g.getFont().getSize());
            }
        }
        g.dispose();
        return sheet;
    }
}
