package io.sparknas.train;

import io.sparknas.cost.LayerGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Starts a detector from weights a user already has instead of a random initialisation ({@code train.init}):
 * <ul>
 *   <li>a DL4J zip written by SparkNAS ({@code model.zip} of {@code sparknas train}, a checkpoint's
 *       {@code best.zip} or {@code last.zip}): every layer whose name and parameter shapes match is copied, so a
 *       detector trained on one dataset starts another with a different number of classes (the prediction layer,
 *       whose shape differs, keeps its fresh initialisation);</li>
 *   <li>an ONNX model ({@code .onnx}), e.g. a MobileNetV2-style backbone trained elsewhere: see
 *       {@link OnnxBackbone}.</li>
 * </ul>
 */
public final class InitialWeights {

    private InitialWeights() {
    }

    /**
     * Copies what matches from {@code source} into {@code network} (built from {@code graph}).
     *
     * @throws IOException when the file cannot be read or is neither a DL4J zip nor an ONNX model
     */
    public static WeightTransfer.Report apply(ComputationGraph network, LayerGraph graph, Path source)
            throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new IOException("train.init: " + source + " is not a file");
        }
        if (source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return OnnxBackbone.read(source).copyInto(network, graph);
        }
        ComputationGraph trained;
        try {
            trained = ModelSerializer.restoreComputationGraph(source.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IOException("train.init: " + source + " is neither an ONNX model (.onnx) nor a DL4J model zip "
                    + "written by sparknas train: " + e.getMessage(), e);
        }
        return WeightTransfer.byName(trained, network, graph, source.toString());
    }
}
