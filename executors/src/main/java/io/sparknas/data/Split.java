package io.sparknas.data;

import java.util.Locale;

/** The three splits of a dataset. */
public enum Split {
    TRAIN, VAL, TEST;

    /** The lower-case name used in folder and file names. */
    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
