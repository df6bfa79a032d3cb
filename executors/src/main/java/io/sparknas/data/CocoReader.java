package io.sparknas.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * COCO: {@code annotations/instances_SPLIT.json} with {@code images}, {@code annotations} ({@code bbox} as
 * [x, y, width, height] in pixels) and {@code categories}; image files in {@code images/SPLIT/} or {@code images/}.
 * Categories map to classes by name. A split without an annotation file is empty.
 */
public final class CocoReader extends DatasetReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    public CocoReader(DataFiles files) {
        super(files);
    }

    /**
     * The categories of the train annotations, in id order. The file is streamed and only {@code categories} kept,
     * so that the driver can resolve the class list of a large COCO set cheaply while it loads the configuration.
     */
    @Override
    protected Optional<ClassList> classesFromDataset(String root) {
        String path = DataFiles.join(root, "annotations/instances_train.json");
        if (!files.exists(path)) {
            return Optional.empty();
        }
        JsonNode categories = null;
        try (InputStream in = files.open(path); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DataFormatException(path + ": expected a JSON object with 'categories'");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("categories")) {
                    categories = JSON.readTree(parser);
                } else {
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new DataFormatException(path + ": malformed JSON"
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot be read: " + e.getMessage());
        }
        if (categories == null || !categories.isArray() || categories.isEmpty()) {
            return Optional.empty();
        }
        List<JsonNode> sorted = new ArrayList<>();
        categories.forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(a.path("id").asInt(), b.path("id").asInt()));
        return Optional.of(new ClassList(sorted.stream().map(c -> c.path("name").asText()).toList(),
                ClassList.Origin.COCO_CATEGORIES));
    }

    @Override
    protected List<DetectionImage> readSplit(String root, Split split, List<String> classes, DataIssues issues) {
        String jsonPath = DataFiles.join(root, "annotations/instances_" + split.folderName() + ".json");
        if (!files.exists(jsonPath)) {
            return List.of();
        }
        JsonNode doc = readJson(jsonPath, issues);
        if (doc == null) {
            return List.of();
        }
        if (!doc.path("images").isArray() || !doc.path("annotations").isArray() || !doc.path("categories").isArray()) {
            issues.report(jsonPath, "needs the arrays 'images', 'annotations' and 'categories'");
            return List.of();
        }
        Map<Integer, Integer> categoryToClass = new HashMap<>();
        for (JsonNode category : doc.get("categories")) {
            categoryToClass.put(category.path("id").asInt(), classes.indexOf(category.path("name").asText()));
        }
        Map<Integer, JsonNode> imagesById = new LinkedHashMap<>();
        for (JsonNode image : doc.get("images")) {
            imagesById.put(image.path("id").asInt(), image);
        }
        Map<Integer, List<ImageAssembler.RawObject>> objects = new HashMap<>();
        Map<Integer, String> badImages = new HashMap<>();
        int index = 0;
        for (JsonNode annotation : doc.get("annotations")) {
            index++;
            int imageId = annotation.path("image_id").asInt(-1);
            if (!imagesById.containsKey(imageId)) {
                issues.report(jsonPath, "annotation " + index + ": image_id " + imageId + " is not in 'images'");
                continue;
            }
            Integer classId = categoryToClass.get(annotation.path("category_id").asInt(-1));
            if (classId == null || classId < 0) {
                badImages.putIfAbsent(imageId, "annotation " + index + ": unknown class (category_id "
                        + annotation.path("category_id") + "); known: " + classes);
                continue;
            }
            JsonNode bbox = annotation.path("bbox");
            if (!bbox.isArray() || bbox.size() != 4 || !allNumbers(bbox)) {
                badImages.putIfAbsent(imageId, "annotation " + index + ": bbox must be [x, y, width, height] numbers");
                continue;
            }
            double x = bbox.get(0).asDouble();
            double y = bbox.get(1).asDouble();
            Box box = new Box(x, y, x + bbox.get(2).asDouble(), y + bbox.get(3).asDouble());
            objects.computeIfAbsent(imageId, k -> new ArrayList<>()).add(new ImageAssembler.RawObject(classId, box));
        }
        ImageAssembler assembler = new ImageAssembler(files, issues);
        List<DetectionImage> images = new ArrayList<>();
        for (Map.Entry<Integer, JsonNode> entry : imagesById.entrySet()) {
            String fileName = entry.getValue().path("file_name").asText("");
            if (badImages.containsKey(entry.getKey())) {
                issues.report(jsonPath, fileName + ": " + badImages.get(entry.getKey()));
                continue;
            }
            String imagePath = assembler.firstExisting(List.of(
                    DataFiles.join(root, "images/" + split.folderName() + "/" + fileName),
                    DataFiles.join(root, "images/" + fileName)));
            String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
            DetectionImage image = assembler.assemble(stem, imagePath == null
                    ? DataFiles.join(root, "images/" + split.folderName() + "/" + fileName) : imagePath,
                    jsonPath, objects.getOrDefault(entry.getKey(), List.of()));
            if (image != null) {
                images.add(image);
            }
        }
        return images;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode value : array) {
            if (!value.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private JsonNode readJson(String path, DataIssues issues) {
        if (!files.exists(path)) {
            return null;
        }
        try {
            return JSON.readTree(files.read(path));
        } catch (JsonProcessingException e) {
            issues.report(path, "malformed JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            issues.report(path, "cannot be read: " + e.getMessage());
            return null;
        }
    }
}
