package io.sparknas.data;

import java.util.Locale;

/** The on-disk layouts SparkNAS reads and writes. */
public enum DatasetFormat {
    /** Pascal VOC: Annotations/ID.xml, JPEGImages/ID.(jpg|png), ImageSets/Main/SPLIT.txt. */
    VOC,
    /** COCO: annotations/instances_SPLIT.json, images/SPLIT/FILE. */
    COCO,
    /** YOLO: images/SPLIT/ID.(jpg|png), labels/SPLIT/ID.txt ("class cx cy w h", normalized), classes.txt. */
    YOLO;

    /** Parses a format name (voc, coco, yolo). */
    public static DatasetFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not a dataset format; allowed: voc, coco, yolo", e);
        }
    }
}
