package io.sparknas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.eval.DetectionMetrics;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.TestSpaces;
import io.sparknas.train.FlipAveragedTeacher;
import io.sparknas.train.NetworkTeacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What averaging a trained teacher with its mirror image ({@link FlipAveragedTeacher}) does to its val and test
 * mAP@0.5, side by side on the same images, for each teacher model file given (a teacher of
 * {@code bench/distillation.sh}: its data and head, 160 px for 80-px students). Writes docs/bench/teacher-flip.json.
 *
 * <pre>bench/teacher-flip.sh --teachers=A.zip,B.zip [--out=docs/bench/teacher-flip.json]</pre>
 */
public final class TeacherFlipBenchmark {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("teachers", "");
        DEFAULTS.putAll(DistillationBenchmark.DATA_DEFAULTS);
        DEFAULTS.put("student-side", "80");
        DEFAULTS.put("out", "docs/bench/teacher-flip.json");
    }

    private TeacherFlipBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(DEFAULTS, args);
        if (o.get("teachers").isBlank()) {
            throw new IllegalArgumentException("--teachers: give one or more teacher model files, comma-separated");
        }
        HeadSpec students = TestSpaces.standard().head();
        int teacherSide = o.integer("teacher-side");
        int grid = o.integer("student-side") / students.outputStride();
        HeadSpec head = new HeadSpec(students.channels(), students.classes(), students.anchors(), teacherSide / grid);
        DetectionDataset data = new SyntheticDetectionSet(DistillationBenchmark.dataSpec(o)).generate();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = BenchRecords.header("teacher-flip", "bench/teacher-flip.sh", args);
        root.set("parameters", json.valueToTree(o.values()));
        ArrayNode rows = root.putArray("teachers");
        DetectorEvaluator evaluator = new DetectorEvaluator(head, 32);
        for (String file : o.get("teachers").split(",")) {
            Path model = Path.of(file.trim());
            NetworkTeacher teacher = NetworkTeacher.fromBytes(Files.readAllBytes(model), model.toString());
            try (FlipAveragedTeacher averaged = new FlipAveragedTeacher(teacher, head.classes())) {
                ObjectNode row = rows.addObject();
                row.put("teacher", model.toString());
                for (String split : new String[] {"val", "test"}) {
                    var images = split.equals("val") ? data.val() : data.test();
                    DetectionMetrics plain = evaluator.evaluate(teacher::predict, images, teacherSide);
                    DetectionMetrics flipped = evaluator.evaluate(averaged::predict, images, teacherSide);
                    row.put(split + "_map50", plain.map50());
                    row.put(split + "_map50_flip_averaged", flipped.map50());
                    System.out.printf(Locale.ROOT, "%s: %s mAP@0.5 %.4f alone, %.4f averaged with its mirror image "
                            + "(%+.4f)%n", model, split, plain.map50(), flipped.map50(), flipped.map50()
                            - plain.map50());
                }
            }
        }
        Path out = Path.of(o.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        System.out.println("wrote " + out);
    }
}
