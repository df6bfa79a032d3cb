package io.sparknas.supernet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The optimizer of the supernet's shared weights. Subnets are cut and thrown away every step, so their DL4J
 * updaters would start from zero each time; the moments instead live here, one ND4J {@link GradientUpdater} (Adam or
 * Nesterov, with the learning-rate schedule) per shared array, and survive checkpoints.
 *
 * <p>BatchNorm running statistics are not learned: DL4J reports their moving-average change as a "gradient" for a
 * no-op updater, so they are applied as is. (Weight decay is part of the summed gradient, see
 * {@link Supernet#accumulateGradient}.)
 */
public final class SharedWeightOptimizer {

    private final IUpdater config;
    private final Map<String, INDArray> states = new TreeMap<>();
    private final Map<String, GradientUpdater<?>> updaters = new TreeMap<>();

    public SharedWeightOptimizer(IUpdater config) {
        this.config = config;
    }

    /** Whether the shared key holds BatchNorm running statistics rather than learned parameters. */
    static boolean isRunningStatistic(String key) {
        return key.endsWith(":mean") || key.endsWith(":var") || key.endsWith(":log10stdev");
    }

    /** One optimizer step: the summed gradients {@code sums} (shared key → full-size array) update {@code supernet}. */
    public void step(Supernet supernet, Map<String, INDArray> sums, int iteration, int epoch) {
        Map<String, INDArray> update = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> entry : sums.entrySet()) {
            String key = entry.getKey();
            INDArray gradient = entry.getValue();
            if (isRunningStatistic(key)) {
                update.put(key, gradient);
                continue;
            }
            INDArray flat = gradient.dup().reshape(gradient.length());
            updater(key, flat.length()).applyUpdater(flat, iteration, epoch);
            update.put(key, flat.reshape(gradient.shape()));
        }
        supernet.subtract(update);
    }

    private GradientUpdater<?> updater(String key, long length) {
        return updaters.computeIfAbsent(key, k -> {
            long size = config.stateSize(length);
            if (size == 0) {
                return config.instantiate((INDArray) null, false);
            }
            INDArray state = states.computeIfAbsent(k, s -> Nd4j.zeros(size));
            return config.instantiate(state, false);
        });
    }

    /** The live moments of one shared key (for reordering with its weights); null before its first step. */
    INDArray state(String key) {
        return states.get(key);
    }

    /** The optimizer state (moments per shared key) as bytes, for the checkpoint. */
    public byte[] stateBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(states.size());
            for (Map.Entry<String, INDArray> entry : states.entrySet()) {
                out.writeUTF(entry.getKey());
                Nd4j.write(entry.getValue(), out);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the optimizer state", e);
        }
    }

    /** Restores the moments saved by {@link #stateBytes()}. */
    public void restore(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            states.clear();
            updaters.clear();
            for (int i = 0; i < count; i++) {
                states.put(in.readUTF(), Nd4j.read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not an optimizer state", e);
        }
    }
}
