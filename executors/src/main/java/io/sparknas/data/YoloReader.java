package io.sparknas.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * YOLO: images in {@code images/SPLIT/}, one {@code labels/SPLIT/STEM.txt} per image with lines
 * {@code class cx cy w h} (class index, then centre and size as fractions of the image), class names in
 * {@code classes.txt}. An image without a label file has no objects, as in YOLO's convention.
 */
public final class YoloReader extends DatasetReader {

    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");

    public YoloReader(DataFiles files) {
        super(files);
    }

    @Override
    protected List<DetectionImage> readSplit(String root, Split split, List<String> classes, DataIssues issues) {
        String imageDir = DataFiles.join(root, "images/" + split.folderName());
        ImageAssembler assembler = new ImageAssembler(files, issues);
        List<DetectionImage> images = new ArrayList<>();
        java.util.Set<String> stems = new java.util.HashSet<>();
        for (String name : files.list(imageDir)) {
            if (name.contains(".")) {
                stems.add(name.substring(0, name.lastIndexOf('.')));
            }
        }
        String labelDir = DataFiles.join(root, "labels/" + split.folderName());
        for (String label : files.list(labelDir)) {
            if (label.endsWith(".txt") && !stems.contains(label.substring(0, label.length() - 4))) {
                issues.report(DataFiles.join(labelDir, label), "image file is missing: no "
                        + label.substring(0, label.length() - 4) + " with " + IMAGE_EXTENSIONS + " in " + imageDir);
            }
        }
        for (String name : files.list(imageDir)) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (IMAGE_EXTENSIONS.stream().noneMatch(lower::endsWith)) {
                continue;
            }
            String stem = name.substring(0, name.lastIndexOf('.'));
            String labelPath = DataFiles.join(root, "labels/" + split.folderName() + "/" + stem + ".txt");
            DetectionImage image = readOne(DataFiles.join(imageDir, name), labelPath, stem, classes, assembler, issues);
            if (image != null) {
                images.add(image);
            }
        }
        return images;
    }

    private DetectionImage readOne(String imagePath, String labelPath, String stem, List<String> classes,
                                   ImageAssembler assembler, DataIssues issues) {
        List<String[]> rows = new ArrayList<>();
        if (files.exists(labelPath)) {
            try {
                String[] lines = new String(files.read(labelPath), StandardCharsets.UTF_8).split("\\R");
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        String[] fields = lines[i].trim().split("\\s+");
                        if (fields.length != 5) {
                            issues.report(labelPath + ":" + (i + 1), "expected 'class cx cy w h', got '" + lines[i].trim() + "'");
                            return null;
                        }
                        rows.add(fields);
                    }
                }
            } catch (IOException e) {
                issues.report(labelPath, "cannot be read: " + e.getMessage());
                return null;
            }
        }
        ImageCodec.DecodedImage size;
        DetectionImage unlabelled = assembler.assemble(stem, imagePath, labelPath, List.of());
        if (unlabelled == null) {
            return null;
        }
        size = new ImageCodec.DecodedImage(unlabelled.width(), unlabelled.height(), unlabelled.rgb());
        List<LabeledObject> objects = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i);
            int classId;
            double cx;
            double cy;
            double w;
            double h;
            try {
                classId = Integer.parseInt(f[0]);
                cx = Double.parseDouble(f[1]) * size.width();
                cy = Double.parseDouble(f[2]) * size.height();
                w = Double.parseDouble(f[3]) * size.width();
                h = Double.parseDouble(f[4]) * size.height();
            } catch (NumberFormatException e) {
                issues.report(labelPath, "object " + (i + 1) + ": non-numeric field in '" + String.join(" ", f) + "'");
                return null;
            }
            if (classId < 0 || classId >= classes.size()) {
                issues.report(labelPath, "object " + (i + 1) + ": unknown class " + classId + "; known: 0.."
                        + (classes.size() - 1) + " " + classes);
                return null;
            }
            Box box = new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
            String problem = LabelChecks.problem(box, size.width(), size.height());
            if (problem != null) {
                issues.report(labelPath, "object " + (i + 1) + ": " + problem);
                return null;
            }
            objects.add(new LabeledObject(classId, box.clip(size.width(), size.height())));
        }
        return ImageCodec.labelled(stem, size, objects);
    }
}
