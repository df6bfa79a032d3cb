package io.sparknas.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Writes a {@link DetectionDataset} in VOC, COCO or YOLO layout (images as PNG), readable by the matching reader. */
public final class DatasetWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataFiles files;

    public DatasetWriter(DataFiles files) {
        this.files = files;
    }

    /** Writes every split of {@code dataset} under {@code root}. */
    public void write(DetectionDataset dataset, String root, DatasetFormat format) throws IOException {
        for (Split split : Split.values()) {
            switch (format) {
                case VOC -> writeVoc(dataset, split, root);
                case COCO -> writeCoco(dataset, split, root);
                case YOLO -> writeYolo(dataset, split, root);
            }
        }
        if (format == DatasetFormat.YOLO || format == DatasetFormat.VOC) {
            text(DataFiles.join(root, "classes.txt"), String.join("\n", dataset.classes()) + "\n");
        }
    }

    private void writeVoc(DetectionDataset dataset, Split split, String root) throws IOException {
        StringBuilder list = new StringBuilder();
        for (DetectionImage image : dataset.split(split)) {
            bytes(DataFiles.join(root, "JPEGImages/" + image.id() + ".png"), ImageCodec.png(image));
            StringBuilder xml = new StringBuilder();
            xml.append("<annotation>\n  <filename>").append(image.id()).append(".png</filename>\n")
                    .append("  <size><width>").append(image.width()).append("</width><height>").append(image.height())
                    .append("</height><depth>3</depth></size>\n");
            for (LabeledObject object : image.objects()) {
                Box b = object.box();
                xml.append("  <object>\n    <name>").append(dataset.classes().get(object.classId())).append("</name>\n")
                        .append("    <difficult>0</difficult>\n    <bndbox><xmin>").append(fmt(b.x1() + 1))
                        .append("</xmin><ymin>").append(fmt(b.y1() + 1)).append("</ymin><xmax>").append(fmt(b.x2()))
                        .append("</xmax><ymax>").append(fmt(b.y2())).append("</ymax></bndbox>\n  </object>\n");
            }
            xml.append("</annotation>\n");
            text(DataFiles.join(root, "Annotations/" + image.id() + ".xml"), xml.toString());
            list.append(image.id()).append('\n');
        }
        text(DataFiles.join(root, "ImageSets/Main/" + split.folderName() + ".txt"), list.toString());
    }

    private void writeCoco(DetectionDataset dataset, Split split, String root) throws IOException {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode images = doc.putArray("images");
        ArrayNode annotations = doc.putArray("annotations");
        ArrayNode categories = doc.putArray("categories");
        for (int c = 0; c < dataset.classes().size(); c++) {
            categories.addObject().put("id", c + 1).put("name", dataset.classes().get(c));
        }
        int imageId = 0;
        int annotationId = 0;
        for (DetectionImage image : dataset.split(split)) {
            imageId++;
            String file = image.id() + ".png";
            bytes(DataFiles.join(root, "images/" + split.folderName() + "/" + file), ImageCodec.png(image));
            images.addObject().put("id", imageId).put("file_name", file).put("width", image.width())
                    .put("height", image.height());
            for (LabeledObject object : image.objects()) {
                Box b = object.box();
                ObjectNode annotation = annotations.addObject().put("id", ++annotationId).put("image_id", imageId)
                        .put("category_id", object.classId() + 1).put("area", b.area()).put("iscrowd", 0);
                annotation.putArray("bbox").add(b.x1()).add(b.y1()).add(b.width()).add(b.height());
            }
        }
        bytes(DataFiles.join(root, "annotations/instances_" + split.folderName() + ".json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
    }

    private void writeYolo(DetectionDataset dataset, Split split, String root) throws IOException {
        for (DetectionImage image : dataset.split(split)) {
            bytes(DataFiles.join(root, "images/" + split.folderName() + "/" + image.id() + ".png"), ImageCodec.png(image));
            StringBuilder labels = new StringBuilder();
            for (LabeledObject object : image.objects()) {
                Box b = object.box();
                labels.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", object.classId(),
                        (b.x1() + b.x2()) / 2 / image.width(), (b.y1() + b.y2()) / 2 / image.height(),
                        b.width() / image.width(), b.height() / image.height()));
            }
            text(DataFiles.join(root, "labels/" + split.folderName() + "/" + image.id() + ".txt"), labels.toString());
        }
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private void text(String path, String content) throws IOException {
        bytes(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private void bytes(String path, byte[] content) throws IOException {
        try (OutputStream out = files.create(path)) {
            out.write(content);
        }
    }

}
