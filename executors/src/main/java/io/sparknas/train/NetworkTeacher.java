package io.sparknas.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A teacher that is a DL4J network trained by SparkNAS (the ViT teacher of {@code sparknas teacher train}). */
public final class NetworkTeacher implements DetectionTeacher {

    private final ComputationGraph network;
    private final String description;

    public NetworkTeacher(ComputationGraph network, String description) {
        this.network = network;
        this.description = description;
    }

    /** A teacher from the bytes of a DL4J model file. */
    public static NetworkTeacher fromBytes(byte[] model, String description) {
        try {
            return new NetworkTeacher(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model), false),
                    description);
        } catch (IOException e) {
            throw new IllegalArgumentException("teacher " + description + " is not a DL4J model file: "
                    + e.getMessage(), e);
        }
    }

    /** The bytes of a DL4J model file holding {@code network} (weights only, no updater state). */
    public static byte[] toBytes(ComputationGraph network) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(network, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public INDArray predict(INDArray images) {
        return network.outputSingle(false, images);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        network.close();
    }
}
