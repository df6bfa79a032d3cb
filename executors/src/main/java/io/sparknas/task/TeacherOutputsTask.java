package io.sparknas.task;

import io.sparknas.data.AugmentedViews;
import io.sparknas.data.DatasetSource;
import io.sparknas.data.DetectionImage;
import io.sparknas.train.DetectionTeacher;
import io.sparknas.train.TeacherPredictions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark function that computes a teacher's outputs for a slice of the training images (every augmented view of
 * each, when there are views): each element is the first image index of a slice of {@code sliceSize}. Deterministic, so a retried task gives the same values.
 */
public final class TeacherOutputsTask implements FlatMapFunction<Iterator<Integer>, TeacherOutput> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<TeacherArtifact> teacher;
    private final DatasetSource data;
    private final int sliceSize;
    private final int batchSize;
    private final AugmentedViews views;

    /** @param views the augmented views to compute outputs for; null for the plain images */
    public TeacherOutputsTask(Broadcast<TeacherArtifact> teacher, DatasetSource data, int sliceSize, int batchSize,
                              AugmentedViews views) {
        this.teacher = teacher;
        this.data = data;
        this.sliceSize = sliceSize;
        this.batchSize = batchSize;
        this.views = views;
    }

    @Override
    public Iterator<TeacherOutput> call(Iterator<Integer> starts) {
        List<DetectionImage> train = ExecutorDatasets.get(data).train();
        TeacherArtifact artifact = teacher.value();
        List<TeacherOutput> out = new ArrayList<>();
        try (DetectionTeacher opened = artifact.open()) {
            while (starts.hasNext()) {
                int from = starts.next();
                int to = Math.min(train.size(), from + sliceSize);
                List<DetectionImage> slice = train.subList(from, to);
                List<float[]> values = views == null
                        ? TeacherPredictions.compute(opened, slice, artifact.side(), artifact.head(), batchSize)
                        : TeacherPredictions.compute(opened, slice, artifact.side(), artifact.head(), batchSize, views);
                for (int k = 0; k < values.size(); k++) {
                    int i = k % slice.size();
                    out.add(new TeacherOutput(k / slice.size(), from + i, slice.get(i).id(), values.get(k)));
                }
            }
        }
        return out.iterator();
    }
}
