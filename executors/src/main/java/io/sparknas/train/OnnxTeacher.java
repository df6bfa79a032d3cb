package io.sparknas.train;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.sparknas.space.HeadSpec;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A teacher supplied by the user as an ONNX model, run with ONNX Runtime. It must take one float input
 * {@code [N, 3, S, S]} (images in [0, 1]) and give the raw predictions {@code [N, A·(5+C), G, G]} on the students'
 * grid. Both are checked when the teacher is opened, with a probe image, so a wrong file fails with a clear message
 * before any training starts.
 */
public final class OnnxTeacher implements DetectionTeacher {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String input;
    private final String description;

    /**
     * @param model  the ONNX model's bytes
     * @param source where it came from, for messages
     * @param side   the students' input side
     * @param head   the students' detection head (anchors, classes, output stride)
     */
    public OnnxTeacher(byte[] model, String source, int side, HeadSpec head) {
        this.description = "ONNX teacher " + source;
        this.environment = OrtEnvironment.getEnvironment();
        try {
            this.session = environment.createSession(model, new OrtSession.SessionOptions());
        } catch (OrtException e) {
            throw new IllegalArgumentException(description + ": not a model ONNX Runtime can load: "
                    + e.getMessage(), e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1 || session.getOutputInfo().isEmpty()) {
                throw invalid("needs exactly one input (images) and an output, has inputs " + inputs.keySet()
                        + " and outputs " + session.getOutputInfo().keySet());
            }
            this.input = inputs.keySet().iterator().next();
            if (!(inputs.get(input).getInfo() instanceof TensorInfo tensor) || tensor.getShape().length != 4) {
                throw invalid("input '" + input + "' must be a rank-4 float tensor [N, 3, " + side + ", " + side + "]");
            }
            int grid = side / head.outputStride();
            long[] expected = {1, head.predictionChannels(), grid, grid};
            long[] got = predict(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, side, side)).shape();
            if (!Arrays.equals(expected, got)) {
                throw invalid("output shape " + Arrays.toString(got) + " does not match the students' grid: expected "
                        + Arrays.toString(expected) + " (" + head.anchors().size() + " anchors x (5 + "
                        + head.classes() + " classes) on a " + grid + "x" + grid + " grid for " + side + " px input)");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (OrtException e) {
            close();
            throw invalid("cannot inspect: " + e.getMessage());
        }
    }

    /**
     * The input side an ONNX model declares ({@code [N, 3, S, S]} with a fixed S), or {@code fallback} when its
     * input side is dynamic.
     */
    public static int declaredSide(byte[] model, String source, int fallback) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model, new OrtSession.SessionOptions())) {
            for (NodeInfo info : session.getInputInfo().values()) {
                if (info.getInfo() instanceof TensorInfo tensor && tensor.getShape().length == 4
                        && tensor.getShape()[2] > 0) {
                    return (int) tensor.getShape()[2];
                }
            }
            return fallback;
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX teacher " + source + ": not a model ONNX Runtime can load: "
                    + e.getMessage(), e);
        }
    }

    private IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException(description + ": " + problem);
    }

    @Override
    public INDArray predict(INDArray images) {
        try {
            return io.sparknas.export.OnnxPredictor.run(environment, session, input, images, result -> result.get(0));
        } catch (OrtException e) {
            throw new IllegalStateException(description + ": inference failed: " + e.getMessage(), e);
        } catch (ClassCastException e) {
            throw invalid("the first output is not a tensor");
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException(description + ": cannot close: " + e.getMessage(), e);
        }
    }
}
