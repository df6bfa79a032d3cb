package io.sparknas.task;

import io.sparknas.data.DetectionDataset;
import io.sparknas.supernet.Supernet;
import io.sparknas.supernet.SupernetCheckpoint;
import io.sparknas.train.FinalTrainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The Spark function that trains chosen candidates fully, one per task: from scratch or from the supernet's
 * weights, with or without the teacher's cached outputs; it scores the result on the test split and writes the
 * trained detector to the artifact folder. A retried task trains the same way from the same seed and overwrites
 * the same file, so nothing is duplicated.
 */
public final class FinalTrainingTask implements FlatMapFunction<Iterator<FinalTrainingRequest>, FinalTrainingResult> {

    private static final long serialVersionUID = 1L;
    private static final java.util.Map<Long, Supernet> SUPERNETS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Broadcast<List<float[]>> teacherOutputs;
    private final Broadcast<byte[]> supernet;
    private final FinalTrainingContext context;

    /**
     * @param teacherOutputs per training image, the teacher's raw outputs (null when no request distills)
     * @param supernet       the supernet checkpoint's bytes (null when training from scratch)
     */
    public FinalTrainingTask(Broadcast<List<float[]>> teacherOutputs, Broadcast<byte[]> supernet,
                             FinalTrainingContext context) {
        this.teacherOutputs = teacherOutputs;
        this.supernet = supernet;
        this.context = context;
    }

    @Override
    public Iterator<FinalTrainingResult> call(Iterator<FinalTrainingRequest> requests) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        if (context.threadsPerTask() > 0) {
            io.sparknas.net.Dl4jRuntime.useThreads(context.threadsPerTask());
        }
        DetectionDataset dataset = ExecutorDatasets.get(context.data());
        List<FinalTrainingResult> results = new ArrayList<>();
        while (requests.hasNext()) {
            FinalTrainingRequest request = requests.next();
            String key = FinalTrainingRecord.key(request, context);
            Path model = new Path(context.artifactDir(), request.artifactName());
            FinalTrainingResult done = FinalTrainingRecord.read(model, key);
            if (done != null) {
                results.add(done);
                continue;
            }
            var settings = context.training().withSeed(request.seed());
            FinalTrainer trainer = new FinalTrainer(context.space().head(), settings,
                    context.distillation(), line -> { });
            ComputationGraph start = null;
            if (context.inherited()) {
                Supernet weights = SUPERNETS.computeIfAbsent(supernet.id(),
                        id -> SupernetCheckpoint.weights(context.space(), supernet.value()));
                start = weights.extract(request.architecture(), request.seed(), settings.updater(1));
            }
            FinalTrainer.Outcome outcome = trainer.train(context.costModel().lower(request.architecture()), dataset,
                    request.distill() ? teacherOutputs.value() : null, start);
            String artifact = write(outcome.network(), request.artifactName());
            FinalTrainingResult result = new FinalTrainingResult(request.candidateId(), request.distill(),
                    request.seed(), outcome.training().bestValMap50(), outcome.test().map50(), outcome.test().mapCoco(),
                    outcome.training().epochsRun(), outcome.training().bestEpoch(), outcome.training().seconds(),
                    artifact, CandidateEvaluationTask.host(), attempt, false);
            FinalTrainingRecord.write(model, key, result);
            results.add(result);
        }
        return results.iterator();
    }

    private String write(ComputationGraph network, String name) {
        Path path = new Path(context.artifactDir(), name);
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(network, bytes, false);
            FileSystem fs = path.getFileSystem(new Configuration());
            try (OutputStream out = fs.create(path, true)) {
                out.write(bytes.toByteArray());
            }
            return path.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trained model to " + path, e);
        }
    }
}
