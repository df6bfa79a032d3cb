package io.sparknas.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A detector exported by {@link OnnxExport} or {@link QdqExport}, run by ONNX Runtime on the CPU: raw prediction
 * grids for batches of images, as the DL4J network computes them. Used to score subnets
 * ({@code eval.engine = onnxruntime}), where the validation forward pass is several times faster than DL4J's, and
 * to score the exported fp32 and int8 models.
 *
 * <p>An int8 (QDQ) model runs with {@link #INT8_OPTIMIZATION}, not with every graph optimization: measured with the
 * ONNX Runtime this project builds against (Java API 1.23.2, and 1.24.2 alike), the fused int8 kernels that the
 * extended optimizations substitute for DequantizeLinear → Conv → QuantizeLinear give wrong outputs on some models,
 * different from one run of the same input to the next (on the shapes reference detector of
 * {@code docs/benchmarks.md} by up to 21 in a logit; its test mAP@0.5 fell from 0.842 to 0.71–0.80 by run), while the
 * basic level computes the graph as written. {@code OnnxPredictorTest} keeps that model as a fixture.
 */
public final class OnnxPredictor implements AutoCloseable {

    /** The graph optimizations an int8 QDQ model runs with: constant folding and the like, no fused int8 kernels. */
    public static final OrtSession.SessionOptions.OptLevel INT8_OPTIMIZATION =
            OrtSession.SessionOptions.OptLevel.BASIC_OPT;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /**
     * An fp32 model with every graph optimization.
     *
     * @param threads ONNX Runtime's intra-op threads (the task's share of the cores)
     */
    public OnnxPredictor(byte[] model, int threads) {
        this(model, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    private OnnxPredictor(byte[] model, int threads, OrtSession.SessionOptions.OptLevel optimization) {
        try {
            this.session = environment.createSession(model, options(threads, optimization));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the exported detector: " + e.getMessage(), e);
        }
    }

    /** An int8 QDQ model ({@link QdqExport}), run with {@link #INT8_OPTIMIZATION}. */
    public static OnnxPredictor int8(byte[] model, int threads) {
        return new OnnxPredictor(model, threads, INT8_OPTIMIZATION);
    }

    /** Session options with {@code threads} intra-op threads, one inter-op thread and {@code optimization}. */
    public static OrtSession.SessionOptions options(int threads, OrtSession.SessionOptions.OptLevel optimization) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(optimization);
            return options;
        } catch (OrtException e) {
            throw new IllegalStateException("cannot set ONNX Runtime's session options: " + e.getMessage(), e);
        }
    }

    /** The raw prediction grid {@code [N, A·(5+C), G, G]} for {@code images} {@code [N, 3, S, S]}. */
    public INDArray predict(INDArray images) {
        try {
            return run(environment, session, OnnxExport.INPUT, images, result -> result.get(OnnxExport.OUTPUT)
                    .orElseThrow());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code session} on a float batch fed to {@code input} and copies the float tensor {@code output} picks
     * from the result; shared by every caller of ONNX Runtime on image batches (subnet scoring, ONNX teachers).
     */
    public static INDArray run(OrtEnvironment environment, OrtSession session, String input, INDArray images,
                               java.util.function.Function<OrtSession.Result, ai.onnxruntime.OnnxValue> output)
            throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(images.dup('c').data()
                .asFloat()), images.shape());
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            OnnxTensor values = (OnnxTensor) output.apply(result);
            long[] shape = ((TensorInfo) values.getInfo()).getShape();
            FloatBuffer buffer = values.getFloatBuffer();
            float[] copy = new float[buffer.remaining()];
            buffer.get(copy);
            return Nd4j.create(copy, shape, 'c');
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close an ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
