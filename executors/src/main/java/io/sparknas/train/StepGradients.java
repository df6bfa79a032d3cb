package io.sparknas.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradients of one data-parallel training step, or of one shard of its batch, by array name: for a supernet's
 * sandwich step the gradient of each shared array summed over the step's members (each the mean over the batch) and
 * the masks of the entries some member used (for weight decay); for a plain network its flattened gradient. A
 * shard's figures are already scaled so that the shards of a step add up to the step ({@link #combine}). Crosses
 * from Spark tasks to the driver as bytes.
 */
public final class StepGradients {

    private final Map<String, INDArray> sums;
    private final Map<String, INDArray> used;
    private final double loss;
    private final int images;
    private final double computeSeconds;
    private final double communicationSeconds;

    /**
     * @param sums                 shared key → gradient sum, full-size arrays
     * @param used                 shared key → 1 where some member used the entry (may be empty for a shard other
     *                             than the first: every shard runs the same members)
     * @param loss                 the members' detection losses summed, each the mean over the batch (or over the
     *                             shard, scaled by its share)
     * @param images               images of the batch (or shard)
     * @param computeSeconds       seconds spent computing: the longest shard's, for a combined step
     * @param communicationSeconds seconds of the step not spent computing (moving weights and gradients)
     */
    public StepGradients(Map<String, INDArray> sums, Map<String, INDArray> used, double loss, int images,
                         double computeSeconds, double communicationSeconds) {
        this.sums = Collections.unmodifiableMap(new TreeMap<>(sums));
        this.used = Collections.unmodifiableMap(new TreeMap<>(used));
        this.loss = loss;
        this.images = images;
        this.computeSeconds = computeSeconds;
        this.communicationSeconds = communicationSeconds;
    }

    /** Nothing: a shard with no images. */
    public static StepGradients empty() {
        return new StepGradients(Map.of(), Map.of(), 0, 0, 0, 0);
    }

    /**
     * The step's gradients from its shards, added in shard order (so the result does not depend on which task
     * finished first); the masks are the first shard's that has them.
     *
     * @param communicationSeconds the step's seconds not spent computing
     */
    public static StepGradients combine(List<StepGradients> shards, double communicationSeconds) {
        Map<String, INDArray> sums = new TreeMap<>();
        Map<String, INDArray> used = new TreeMap<>();
        double loss = 0;
        int images = 0;
        double compute = 0;
        for (StepGradients shard : shards) {
            for (Map.Entry<String, INDArray> entry : shard.sums.entrySet()) {
                INDArray sum = sums.get(entry.getKey());
                if (sum == null) {
                    sums.put(entry.getKey(), entry.getValue().dup());
                } else {
                    sum.addi(entry.getValue());
                }
            }
            if (used.isEmpty()) {
                used.putAll(shard.used);
            }
            loss += shard.loss;
            images += shard.images;
            compute = Math.max(compute, shard.computeSeconds);
        }
        return new StepGradients(sums, used, loss, images, compute, communicationSeconds);
    }

    /** The same gradients without the masks (which every shard but one leaves out of its bytes). */
    public StepGradients withoutMasks() {
        return new StepGradients(sums, Map.of(), loss, images, computeSeconds, communicationSeconds);
    }

    /** Shared key → gradient summed over the members (read-only; the arrays are this object's). */
    public Map<String, INDArray> sums() {
        return sums;
    }

    /** Shared key → mask of the entries some member used. */
    public Map<String, INDArray> used() {
        return used;
    }

    /** The members' losses, summed. */
    public double loss() {
        return loss;
    }

    /** Images the gradients were computed on. */
    public int images() {
        return images;
    }

    /** Seconds spent computing (the longest shard's, for a combined step). */
    public double computeSeconds() {
        return computeSeconds;
    }

    /** Seconds of the step not spent computing. */
    public double communicationSeconds() {
        return communicationSeconds;
    }

    /** These gradients as bytes, for a task's result. */
    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeDouble(loss);
            out.writeInt(images);
            out.writeDouble(computeSeconds);
            out.writeDouble(communicationSeconds);
            ArrayTransfer.writeValues(out, sums);
            ArrayTransfer.writeMasks(out, used);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize step gradients", e);
        }
    }

    /** Gradients from {@link #toBytes()}. */
    public static StepGradients fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            double loss = in.readDouble();
            int images = in.readInt();
            double compute = in.readDouble();
            double communication = in.readDouble();
            Map<String, INDArray> sums = ArrayTransfer.readValues(in);
            Map<String, INDArray> used = ArrayTransfer.readMasks(in);
            return new StepGradients(sums, used, loss, images, compute, communication);
        } catch (IOException e) {
            throw new UncheckedIOException("not step gradients", e);
        }
    }
}
