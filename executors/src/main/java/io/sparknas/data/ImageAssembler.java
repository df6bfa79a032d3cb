package io.sparknas.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared last step of every reader: decode the image, check each labelled box against it, and either return the
 * labelled image or report why it is skipped. An image with any bad label is skipped whole, so a bad label never
 * becomes a silently missing object.
 */
final class ImageAssembler {

    private final DataFiles files;
    private final DataIssues issues;

    ImageAssembler(DataFiles files, DataIssues issues) {
        this.files = files;
        this.issues = issues;
    }

    /** An object as read from an annotation, before checks: class already resolved to an id. */
    record RawObject(int classId, Box box) {
    }

    /** The labelled image, or null when it was reported and skipped. */
    DetectionImage assemble(String id, String imagePath, String annotationPath, List<RawObject> objects) {
        if (imagePath == null || !files.exists(imagePath)) {
            issues.report(imagePath == null ? annotationPath : imagePath, "image file is missing");
            return null;
        }
        ImageCodec.DecodedImage pixels;
        try (InputStream in = files.open(imagePath)) {
            pixels = ImageCodec.decode(in);
        } catch (IOException | RuntimeException e) {
            issues.report(imagePath, "image cannot be read: " + e.getMessage());
            return null;
        }
        if (pixels == null) {
            issues.report(imagePath, "not an image in a readable format (PNG, JPEG, BMP, GIF)");
            return null;
        }
        List<LabeledObject> checked = new ArrayList<>(objects.size());
        for (RawObject object : objects) {
            String problem = LabelChecks.problem(object.box(), pixels.width(), pixels.height());
            if (problem != null) {
                issues.report(annotationPath, problem);
                return null;
            }
            checked.add(new LabeledObject(object.classId(), object.box().clip(pixels.width(), pixels.height())));
        }
        return ImageCodec.labelled(id, pixels, checked);
    }

    /** The first of {@code candidates} that exists, or null. */
    String firstExisting(List<String> candidates) {
        for (String candidate : candidates) {
            if (files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
