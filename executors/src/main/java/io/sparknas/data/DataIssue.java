package io.sparknas.data;

/**
 * A problem found in input data, reported with the file and the reason; the image it concerns is skipped.
 *
 * @param file   the file (annotation or image) at fault
 * @param reason what is wrong
 */
public record DataIssue(String file, String reason) implements java.io.Serializable {

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
