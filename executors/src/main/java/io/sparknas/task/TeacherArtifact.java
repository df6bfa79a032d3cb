package io.sparknas.task;

import io.sparknas.space.HeadSpec;
import io.sparknas.train.DetectionTeacher;
import io.sparknas.train.FlipAveragedTeacher;
import io.sparknas.train.NetworkTeacher;
import io.sparknas.train.OnnxTeacher;

/**
 * A teacher as it crosses to executors: its model file's bytes and how to read them.
 *
 * @param kind        {@code dl4j} (a SparkNAS ViT teacher) or {@code onnx}
 * @param model       the model file's bytes
 * @param description where it came from
 * @param side        the teacher's input side (its patch grid equals the students' output grid)
 * @param head        the head on the teacher's side: the students' anchors and classes, stride {@code side / G}
 * @param flipAveraged whether the teacher is opened averaged with its mirror image ({@link FlipAveragedTeacher})
 */
public record TeacherArtifact(String kind, byte[] model, String description, int side, HeadSpec head,
                              boolean flipAveraged) implements java.io.Serializable {

    /** A teacher used as it is (not averaged with its mirror image). */
    public TeacherArtifact(String kind, byte[] model, String description, int side, HeadSpec head) {
        this(kind, model, description, side, head, false);
    }

    public TeacherArtifact {
        if (!kind.equals("dl4j") && !kind.equals("onnx")) {
            throw new IllegalArgumentException("teacher kind must be dl4j or onnx, got " + kind);
        }
    }

    /** Opens the teacher (and checks it, for ONNX), averaged with its mirror image when {@link #flipAveraged}. */
    public DetectionTeacher open() {
        DetectionTeacher teacher = kind.equals("onnx") ? new OnnxTeacher(model, description, side, head)
                : NetworkTeacher.fromBytes(model, description);
        return flipAveraged ? new FlipAveragedTeacher(teacher, head.classes()) : teacher;
    }

    /** This teacher, averaged with its mirror image or not. */
    public TeacherArtifact withFlipAveraged(boolean averaged) {
        return new TeacherArtifact(kind, model, description, side, head, averaged);
    }
}
