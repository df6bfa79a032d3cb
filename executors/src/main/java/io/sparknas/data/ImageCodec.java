package io.sparknas.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;

/** Conversions between {@link DetectionImage} pixels and encoded image files (PNG, JPEG, BMP via ImageIO). */
public final class ImageCodec {

    private ImageCodec() {
    }

    /** The pixels as a Java2D image. */
    public static BufferedImage toBufferedImage(DetectionImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[image.width()];
        byte[] rgb = image.rgb();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int i = (y * image.width() + x) * 3;
                row[x] = ((rgb[i] & 0xFF) << 16) | ((rgb[i + 1] & 0xFF) << 8) | (rgb[i + 2] & 0xFF);
            }
            out.setRGB(0, y, image.width(), 1, row, 0, image.width());
        }
        return out;
    }

    /** PNG bytes of the image. */
    public static byte[] png(DetectionImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(toBufferedImage(image), "png", out);
        return out.toByteArray();
    }

    /**
     * Decodes an image file to interleaved RGB.
     *
     * @return null when the bytes are not an image ImageIO can read
     */
    public static DecodedImage decode(InputStream in) throws IOException {
        BufferedImage image = ImageIO.read(in);
        if (image == null) {
            return null;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (row[x] >> 16);
                rgb[i + 1] = (byte) (row[x] >> 8);
                rgb[i + 2] = (byte) row[x];
            }
        }
        return new DecodedImage(w, h, rgb);
    }

    /** Builds a labelled image from decoded pixels. */
    public static DetectionImage labelled(String id, DecodedImage pixels, List<LabeledObject> objects) {
        return new DetectionImage(id, pixels.width(), pixels.height(), pixels.rgb(), objects);
    }

    /**
     * Decoded pixels.
     *
     * @param width  columns
     * @param height rows
     * @param rgb    interleaved RGB bytes
     */
    public record DecodedImage(int width, int height, byte[] rgb) {
    }
}
