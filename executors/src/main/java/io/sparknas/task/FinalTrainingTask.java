package io.sparknas.task;

import io.sparknas.data.DetectionDataset;
import io.sparknas.export.CModelExport;
import io.sparknas.export.DeploymentExport;
import io.sparknas.export.FoldedDetector;
import io.sparknas.export.OnnxExport;
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
 * trained detector to the artifact folder, with its fp32 and int8 ONNX exports and its C export. Each epoch's line
 * goes to a {@link ProgressFile} beside the model, which the driver follows. A retried task trains the same way
 * from the same seed and overwrites the same files, so nothing is duplicated.
 */
public final class FinalTrainingTask implements FlatMapFunction<Iterator<FinalTrainingRequest>, FinalTrainingResult> {

    private static final long serialVersionUID = 1L;
    private static final java.util.Map<Long, Supernet> SUPERNETS = new java.util.concurrent.ConcurrentHashMap<>();

    private final TeacherOutputsSource teacherOutputs;
    private final Broadcast<byte[]> supernet;
    private final FinalTrainingContext context;

    /**
     * @param teacherOutputs where the teacher's raw outputs per training image are cached, read by each executor
     *                       (null when no request distills)
     * @param supernet       the supernet checkpoint's bytes (null when training from scratch)
     */
    public FinalTrainingTask(TeacherOutputsSource teacherOutputs, Broadcast<byte[]> supernet,
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
            if (done != null && exportsExist(done.exported())) {
                results.add(done);
                continue;
            }
            ComputationGraph network;
            FinalTrainingResult result;
            if (done != null) {
                network = read(model);
                result = done;
            } else {
                var settings = context.training().withSeed(request.seed());
                FinalTrainer trainer = new FinalTrainer(context.space().head(), settings,
                        context.distillation(), new ProgressFile(model));
                ComputationGraph start = null;
                if (context.inherited()) {
                    Supernet weights = SUPERNETS.computeIfAbsent(supernet.id(),
                            id -> SupernetCheckpoint.weights(context.space(), supernet.value()));
                    start = weights.extract(request.architecture(), request.seed(), settings.updater(1));
                }
                FinalTrainer.Outcome outcome = trainer.train(context.costModel().lower(request.architecture()),
                        dataset, context.views(), request.distill() ? teacherOutputs.read() : null, start);
                network = outcome.network();
                String artifact = write(model, bytes(network));
                result = new FinalTrainingResult(request.candidateId(), request.distill(), request.seed(),
                        outcome.training().bestValMap50(), outcome.test().map50(), outcome.test().mapCoco(),
                        outcome.training().epochsRun(), outcome.training().bestEpoch(), outcome.training().seconds(),
                        artifact, CandidateEvaluationTask.host(), attempt, false, null);
                FinalTrainingRecord.write(model, key, result);
            }
            result = result.withExported(export(network, request, model, dataset));
            FinalTrainingRecord.write(model, key, result);
            results.add(result);
        }
        return results.iterator();
    }

    /**
     * Writes the fp32 and int8 ONNX models beside {@code model} ({@code NAME.onnx}, {@code NAME.int8.onnx}) with
     * the metadata a deployment needs, and the int8 one as C code ({@code NAME-c/}), and scores the int8 one.
     */
    private FinalExport export(ComputationGraph network, FinalTrainingRequest request, Path model,
                               DetectionDataset dataset) {
        io.sparknas.space.Architecture architecture = request.architecture();
        io.sparknas.cost.LayerGraph graph = context.costModel().lower(architecture);
        io.sparknas.space.HeadSpec head = context.space().head();
        int side = architecture.resolution();
        java.util.Map<String, String> metadata = OnnxExport.metadata(
                io.sparknas.space.ArchitectureJson.encode(architecture), context.data().classes(),
                OnnxExport.anchors(head, side), side);
        int threads = context.threadsPerTask() > 0 ? context.threadsPerTask()
                : Runtime.getRuntime().availableProcessors();
        FoldedDetector folded = FoldedDetector.of(network, graph);
        DeploymentExport.Result exported = DeploymentExport.of(folded, metadata, dataset, head, side,
                context.calibrationImages(), threads, line -> { });
        String base = model.getName().substring(0, model.getName().length() - ".zip".length());
        String onnx = write(new Path(model.getParent(), base + ".onnx"), exported.fp32());
        String int8 = write(new Path(model.getParent(), base + ".int8.onnx"), exported.int8());
        Path cModel = new Path(model.getParent(), base + "-c");
        for (java.util.Map.Entry<String, byte[]> file : DeploymentExport.cModel(folded, exported, metadata, dataset,
                head, side, CModelExport.DEFAULT_CHECK_IMAGES).entrySet()) {
            write(new Path(cModel, file.getKey()), file.getValue());
        }
        DeploymentExport.Scores scores = exported.chosenScores();
        return new FinalExport(onnx, int8, cModel.toString(), exported.chosen().configName(), scores.valMap50(), scores.testMap50(),
                scores.testMapCoco());
    }

    private static boolean exportsExist(FinalExport exported) {
        if (exported == null) {
            return false;
        }
        try {
            Path onnx = new Path(exported.onnx());
            Path int8 = new Path(exported.onnxInt8());
            FileSystem fs = onnx.getFileSystem(new Configuration());
            return fs.exists(onnx) && fs.exists(int8) && fs.exists(new Path(exported.cModel(), "model.c"));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static ComputationGraph read(Path model) {
        try {
            FileSystem fs = model.getFileSystem(new Configuration());
            try (java.io.InputStream in = fs.open(model)) {
                return ModelSerializer.restoreComputationGraph(in, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trained model " + model, e);
        }
    }

    private static byte[] bytes(ComputationGraph network) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(network, bytes, false);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the trained model", e);
        }
    }

    private static String write(Path path, byte[] bytes) {
        try {
            FileSystem fs = path.getFileSystem(new Configuration());
            try (OutputStream out = fs.create(path, true)) {
                out.write(bytes);
            }
            return path.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
