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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The optimizer of the supernet's shared weights. Subnets are cut and thrown away every step, so their DL4J
 * updaters would start from zero each time; the moments instead live here, one set per shared array, and survive
 * checkpoints.
 *
 * <p>Adam is computed here rather than by DL4J's {@code AdamUpdater}, because that updater takes one iteration
 * number for both the learning-rate schedule and the bias correction: a shared array that only some members use
 * (a block slot beyond most sampled depths, a kernel's outer ring) is updated on a fraction of the steps, and its
 * bias correction must follow its own count of updates, while the schedule follows the global step. Each shared
 * array therefore keeps its own update count. Other updaters (SGD, Nesterov, which have no bias correction) run
 * through DL4J as before.
 *
 * <p>Weight decay is decoupled (AdamW, Loshchilov and Hutter 2019): once per step, each convolution weight that
 * some member used this step shrinks by {@code learning rate × decay}, whatever the number of members that used
 * it, and entries no member used are left alone.
 *
 * <p>BatchNorm running statistics are not learned: DL4J reports their moving-average change as a "gradient" for a
 * no-op updater, so they are applied as is.
 */
public final class SharedWeightOptimizer {

    private final IUpdater config;
    private final double weightDecay;
    private final Map<String, INDArray> states = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, GradientUpdater<?>> updaters = new TreeMap<>();

    /** Without weight decay. */
    public SharedWeightOptimizer(IUpdater config) {
        this(config, 0);
    }

    /** With decoupled weight decay {@code weightDecay} on convolution weights. */
    public SharedWeightOptimizer(IUpdater config, double weightDecay) {
        this.config = config;
        this.weightDecay = weightDecay;
    }

    /** Whether the shared key holds BatchNorm running statistics rather than learned parameters. */
    static boolean isRunningStatistic(String key) {
        return key.endsWith(":mean") || key.endsWith(":var") || key.endsWith(":log10stdev");
    }

    /**
     * One optimizer step without weight decay: the summed gradients {@code sums} (shared key → full-size array)
     * update {@code supernet}.
     */
    public void step(Supernet supernet, Map<String, INDArray> sums, int iteration, int epoch) {
        step(supernet, sums, Map.of(), iteration, epoch);
    }

    /**
     * One optimizer step: the summed gradients {@code sums} update {@code supernet}, and the entries marked 1 in
     * {@code used} (shared key → mask of what some member used, {@link Supernet#accumulateGradient}) of
     * convolution weights decay once.
     */
    public void step(Supernet supernet, Map<String, INDArray> sums, Map<String, INDArray> used, int iteration,
                     int epoch) {
        Map<String, INDArray> update = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> entry : sums.entrySet()) {
            String key = entry.getKey();
            INDArray gradient = entry.getValue();
            if (isRunningStatistic(key)) {
                update.put(key, gradient);
                continue;
            }
            int count = counts.merge(key, 1, Integer::sum);
            INDArray step = config instanceof Adam adam ? adamStep(adam, key, gradient, count, iteration, epoch)
                    : dl4jStep(key, gradient, iteration, epoch);
            INDArray mask = used.get(key);
            if (weightDecay > 0 && key.endsWith(":W") && mask != null) {
                double rate = config.getLearningRate(iteration, epoch);
                step.addi(supernet.live(key).mul(mask).muli(rate * weightDecay));
            }
            update.put(key, step);
        }
        supernet.subtract(update);
    }

    /** Adam's step for one array, bias-corrected by that array's own update count {@code t}. */
    private INDArray adamStep(Adam adam, String key, INDArray gradient, int t, int iteration, int epoch) {
        long length = gradient.length();
        INDArray state = states.computeIfAbsent(key, k -> Nd4j.zeros(gradient.dataType(), 2 * length));
        INDArray m = state.get(NDArrayIndex.interval(0, length)).reshape(gradient.shape());
        INDArray v = state.get(NDArrayIndex.interval(length, 2 * length)).reshape(gradient.shape());
        double beta1 = adam.getBeta1();
        double beta2 = adam.getBeta2();
        m.muli(beta1).addi(gradient.mul(1 - beta1));
        v.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        state.get(NDArrayIndex.interval(0, length)).assign(m.reshape(length));
        state.get(NDArrayIndex.interval(length, 2 * length)).assign(v.reshape(length));
        double rate = adam.getLearningRate(iteration, epoch);
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        INDArray denominator = Transforms.sqrt(v.div(correction2), false).addi(adam.getEpsilon());
        return m.div(correction1).divi(denominator).muli(rate);
    }

    private INDArray dl4jStep(String key, INDArray gradient, int iteration, int epoch) {
        INDArray flat = gradient.dup().reshape(gradient.length());
        updater(key, flat.length()).applyUpdater(flat, iteration, epoch);
        return flat.reshape(gradient.shape());
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

    /** How many updates the shared array {@code key} has had (its Adam bias-correction count). */
    int count(String key) {
        return counts.getOrDefault(key, 0);
    }

    /** The live moments of one shared key (for reordering with its weights); null before its first step. */
    INDArray state(String key) {
        return states.get(key);
    }

    /** The optimizer state (moments and update count per shared key) as bytes, for the checkpoint. */
    public byte[] stateBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(states.size());
            for (Map.Entry<String, INDArray> entry : states.entrySet()) {
                out.writeUTF(entry.getKey());
                Nd4j.write(entry.getValue(), out);
            }
            out.writeInt(counts.size());
            for (Map.Entry<String, Integer> entry : counts.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeInt(entry.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the optimizer state", e);
        }
    }

    /**
     * Restores the moments and update counts saved by {@link #stateBytes()} (a checkpoint written before the counts
     * were kept restores with counts 0, so its next bias correction starts over).
     */
    public void restore(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            states.clear();
            updaters.clear();
            counts.clear();
            for (int i = 0; i < count; i++) {
                states.put(in.readUTF(), Nd4j.read(in));
            }
            if (in.available() > 0) {
                int keys = in.readInt();
                for (int i = 0; i < keys; i++) {
                    counts.put(in.readUTF(), in.readInt());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not an optimizer state", e);
        }
    }
}
