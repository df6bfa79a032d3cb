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
 * A detector exported by {@link OnnxExport}, run by ONNX Runtime on the CPU: raw prediction grids for batches of
 * images, as the DL4J network computes them. Used to score subnets ({@code eval.engine = onnxruntime}), where the
 * validation forward pass is several times faster than DL4J's.
 */
public final class OnnxPredictor implements AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** @param threads ONNX Runtime's intra-op threads (the task's share of the cores) */
    public OnnxPredictor(byte[] model, int threads) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = environment.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the exported detector: " + e.getMessage(), e);
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
