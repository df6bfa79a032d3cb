package io.sparknas.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The int8 model of the shapes reference detector (docs/benchmarks.md, int8 post-training quantization) is a fixture
 * here because ONNX Runtime's fused int8 kernels compute it wrongly: with every graph optimization its outputs differ
 * from the graph as written by up to 21 and from one run to the next. {@link OnnxPredictor#int8} must give the
 * graph's own outputs, the same on every run.
 */
class OnnxPredictorTest {

    private static final int BATCH = 32;
    private static final int SIDE = 128;

    @Test
    void anInt8ModelGivesItsGraphsOutputsOnEveryRun() throws Exception {
        byte[] model;
        try (InputStream in = OnnxPredictorTest.class.getResourceAsStream("shapes-reference-int8.onnx")) {
            model = in.readAllBytes();
        }
        float[] pixels = new float[BATCH * 3 * SIDE * SIDE];
        Random random = new Random(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        INDArray images = Nd4j.create(pixels, new long[] {BATCH, 3, SIDE, SIDE}, 'c');
        float[] asWritten = unoptimized(model, pixels);

        try (OnnxPredictor predictor = OnnxPredictor.int8(model, 2)) {
            for (int run = 0; run < 4; run++) {
                float[] outputs = predictor.predict(images).data().asFloat();
                assertEquals(asWritten.length, outputs.length);
                double worst = 0;
                for (int i = 0; i < outputs.length; i++) {
                    worst = Math.max(worst, Math.abs(outputs[i] - asWritten[i]));
                }
                assertTrue(worst < 1e-3, "run " + run + ": largest difference from the graph as written " + worst);
            }
        }
    }

    /** The model's outputs with no graph optimization: each QDQ node computed as the ONNX operator defines it. */
    private static float[] unoptimized(byte[] model, float[] pixels) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model,
                OnnxPredictor.options(1, OrtSession.SessionOptions.OptLevel.NO_OPT));
             OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels),
                     new long[] {BATCH, 3, SIDE, SIDE});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        }
    }
}
