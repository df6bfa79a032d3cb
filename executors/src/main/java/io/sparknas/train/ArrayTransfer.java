package io.sparknas.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named float arrays as bytes for the trip between the driver and the tasks of a distributed training step: name,
 * shape, then the raw little-endian floats copied in bulk; 0/1 masks as one byte per entry. Written by hand
 * because {@code Nd4j.write} (the checkpoint format) copies element by element through a {@code DataOutputStream},
 * about 185 MB/s on the machine of docs/benchmarks.md: 70 ms each way for the default cell's 12.6 MB supernet,
 * which was most of a distributed step's overhead.
 */
public final class ArrayTransfer {

    private ArrayTransfer() {
    }

    /** The bytes {@link #writeValues} writes for {@code arrays}, roughly (to size a buffer). */
    public static int size(Map<String, INDArray> arrays) {
        long size = 4;
        for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
            size += 2 + entry.getKey().length() + 1 + 8L * entry.getValue().rank() + 4 * entry.getValue().length();
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, size + 64);
    }

    /** Writes float arrays, their values in full. */
    public static void writeValues(DataOutputStream out, Map<String, INDArray> arrays) throws IOException {
        write(out, arrays, false);
    }

    /** Writes 0/1 masks, one byte per entry. */
    public static void writeMasks(DataOutputStream out, Map<String, INDArray> masks) throws IOException {
        write(out, masks, true);
    }

    private static void write(DataOutputStream out, Map<String, INDArray> arrays, boolean mask) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
            INDArray array = entry.getValue();
            if (array.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException(entry.getKey() + " is " + array.dataType() + ", not FLOAT");
            }
            out.writeUTF(entry.getKey());
            long[] shape = array.shape();
            out.writeByte(shape.length);
            for (long dimension : shape) {
                out.writeLong(dimension);
            }
            float[] values = (array.isView() || array.ordering() != 'c' ? array.dup('c') : array).data().asFloat();
            if (mask) {
                byte[] bytes = new byte[values.length];
                for (int i = 0; i < values.length; i++) {
                    bytes[i] = values[i] != 0 ? (byte) 1 : 0;
                }
                out.write(bytes);
            } else {
                ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(values);
                out.write(buffer.array());
            }
        }
    }

    /** Reads what {@link #writeValues} wrote. */
    public static Map<String, INDArray> readValues(DataInputStream in) throws IOException {
        return read(in, false);
    }

    /** Reads what {@link #writeMasks} wrote. */
    public static Map<String, INDArray> readMasks(DataInputStream in) throws IOException {
        return read(in, true);
    }

    private static Map<String, INDArray> read(DataInputStream in, boolean mask) throws IOException {
        int count = in.readInt();
        Map<String, INDArray> arrays = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.readUTF();
            long[] shape = new long[in.readByte()];
            long length = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                length *= shape[d];
            }
            float[] values = new float[Math.toIntExact(length)];
            if (mask) {
                byte[] bytes = new byte[values.length];
                in.readFully(bytes);
                for (int j = 0; j < values.length; j++) {
                    values[j] = bytes[j];
                }
            } else {
                byte[] bytes = new byte[values.length * Float.BYTES];
                in.readFully(bytes);
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            }
            arrays.put(key, Nd4j.create(values, shape, 'c'));
        }
        return arrays;
    }
}
