package io.sparknas.data;

import java.util.List;

/**
 * A labelled image held in memory: 8-bit RGB, interleaved, row-major ({@code rgb[(y * width + x) * 3 + c]}).
 *
 * @param id      a name unique within its dataset (the file stem for data read from disk)
 * @param width   columns
 * @param height  rows
 * @param rgb     {@code width × height × 3} bytes
 * @param objects the labelled objects
 */
public record DetectionImage(String id, int width, int height, byte[] rgb, List<LabeledObject> objects)
        implements java.io.Serializable {

    public DetectionImage {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException(id + ": expected " + width * height * 3 + " RGB bytes, got " + rgb.length);
        }
        objects = List.copyOf(objects);
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y), 0 … 255. */
    public int pixel(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }
}
