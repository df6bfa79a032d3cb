package io.sparknas.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Pascal VOC: {@code ImageSets/Main/SPLIT.txt} lists image ids; {@code Annotations/ID.xml} holds objects with a
 * {@code name} and a {@code bndbox} in 1-based inclusive pixels; images in {@code JPEGImages/}. A split without a
 * list file is empty. Without a classes.txt the class list is gathered from the train annotations. XML is parsed with
 * external entities disabled.
 */
public final class VocReader extends DatasetReader {

    public VocReader(DataFiles files) {
        super(files);
    }

    /** The names of classes.txt when the dataset has one; else those its train annotations use. */
    @Override
    protected Optional<ClassList> classesFromDataset(String root) {
        Optional<ClassList> declared = super.classesFromDataset(root);
        return declared.isPresent() ? declared : gatherTrainNames(root);
    }

    /**
     * The object names of the train split's annotations, trimmed, sorted and without duplicates, for folders that
     * ship no classes.txt (VOC2007 and VOC2012 as published). Only the XML is read. An annotation file that is
     * missing or malformed is left for {@link #readSplit} to report; an object without a name is an error naming
     * the file, as the class list would silently lack a class.
     */
    private Optional<ClassList> gatherTrainNames(String root) {
        String listPath = listPath(root, Split.TRAIN);
        if (!files.exists(listPath)) {
            return Optional.empty();
        }
        List<String> ids;
        try {
            ids = ids(listPath);
        } catch (IOException e) {
            throw new DataFormatException(listPath + ": cannot be read: " + e.getMessage());
        }
        DocumentBuilder parser = newParser();
        DataIssues reportedByTheRead = new DataIssues(false);
        SortedSet<String> names = new TreeSet<>();
        for (String id : ids) {
            String xmlPath = annotationPath(root, id);
            Document doc = parse(xmlPath, parser, reportedByTheRead);
            if (doc == null) {
                continue;
            }
            NodeList objects = doc.getElementsByTagName("object");
            for (int i = 0; i < objects.getLength(); i++) {
                String name = text((Element) objects.item(i), "name");
                if (name == null || name.isBlank()) {
                    throw new DataFormatException(xmlPath + ": object " + (i + 1) + " has no <name>, which the class "
                            + "list is gathered from (there is no classes.txt)");
                }
                names.add(name.trim());
            }
        }
        return names.isEmpty() ? Optional.empty()
                : Optional.of(new ClassList(List.copyOf(names), ClassList.Origin.TRAIN_ANNOTATIONS));
    }

    @Override
    protected List<DetectionImage> readSplit(String root, Split split, List<String> classes, DataIssues issues) {
        String listPath = listPath(root, split);
        if (!files.exists(listPath)) {
            return List.of();
        }
        List<String> ids;
        try {
            ids = ids(listPath);
        } catch (IOException e) {
            issues.report(listPath, "cannot be read: " + e.getMessage());
            return List.of();
        }
        ImageAssembler assembler = new ImageAssembler(files, issues);
        DocumentBuilder parser = newParser();
        List<DetectionImage> images = new ArrayList<>();
        for (String id : ids) {
            DetectionImage image = readOne(root, id, classes, parser, assembler, issues);
            if (image != null) {
                images.add(image);
            }
        }
        return images;
    }

    private static String listPath(String root, Split split) {
        return DataFiles.join(root, "ImageSets/Main/" + split.folderName() + ".txt");
    }

    private static String annotationPath(String root, String id) {
        return DataFiles.join(root, "Annotations/" + id + ".xml");
    }

    /** The image ids of a split list: the first word of each non-blank line. */
    private List<String> ids(String listPath) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : new String(files.read(listPath), StandardCharsets.UTF_8).split("\\R")) {
            if (!line.isBlank()) {
                ids.add(line.trim().split("\\s+")[0]);
            }
        }
        return ids;
    }

    /** The parsed annotation, or null after reporting why there is none. */
    private Document parse(String xmlPath, DocumentBuilder parser, DataIssues issues) {
        if (!files.exists(xmlPath)) {
            issues.report(xmlPath, "annotation file is missing");
            return null;
        }
        try (InputStream in = files.open(xmlPath)) {
            parser.reset();
            return parser.parse(in);
        } catch (SAXParseException e) {
            issues.report(xmlPath, "malformed XML at line " + e.getLineNumber() + ": " + e.getMessage());
            return null;
        } catch (SAXException | IOException e) {
            issues.report(xmlPath, "malformed XML: " + e.getMessage());
            return null;
        }
    }

    private DetectionImage readOne(String root, String id, List<String> classes, DocumentBuilder parser,
                                   ImageAssembler assembler, DataIssues issues) {
        String xmlPath = annotationPath(root, id);
        Document doc = parse(xmlPath, parser, issues);
        if (doc == null) {
            return null;
        }
        List<ImageAssembler.RawObject> objects = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("object");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element object = (Element) nodes.item(i);
            String name = text(object, "name");
            int classId = name == null ? -1 : classes.indexOf(name.trim());
            if (classId < 0) {
                issues.report(xmlPath, "object " + (i + 1) + ": unknown class '" + name + "'; known: " + classes);
                return null;
            }
            try {
                Element box = (Element) object.getElementsByTagName("bndbox").item(0);
                if (box == null) {
                    issues.report(xmlPath, "object " + (i + 1) + ": no bndbox");
                    return null;
                }
                double xmin = Double.parseDouble(text(box, "xmin"));
                double ymin = Double.parseDouble(text(box, "ymin"));
                double xmax = Double.parseDouble(text(box, "xmax"));
                double ymax = Double.parseDouble(text(box, "ymax"));
                objects.add(new ImageAssembler.RawObject(classId, new Box(xmin - 1, ymin - 1, xmax, ymax)));
            } catch (NumberFormatException | NullPointerException e) {
                issues.report(xmlPath, "object " + (i + 1) + ": bndbox needs numeric xmin, ymin, xmax, ymax");
                return null;
            }
        }
        String filename = text(doc.getDocumentElement(), "filename");
        List<String> candidates = new ArrayList<>();
        if (filename != null && !filename.isBlank()) {
            candidates.add(DataFiles.join(root, "JPEGImages/" + filename.trim()));
        }
        for (String ext : List.of(".jpg", ".jpeg", ".png")) {
            candidates.add(DataFiles.join(root, "JPEGImages/" + id + ext));
        }
        String imagePath = assembler.firstExisting(candidates);
        if (imagePath == null) {
            issues.report(candidates.get(0), "image file is missing");
            return null;
        }
        return assembler.assemble(id, imagePath, xmlPath, objects);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static DocumentBuilder newParser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks secure processing", e);
        }
    }
}
