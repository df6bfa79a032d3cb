package io.sparknas.cost;

/**
 * The shape of an activation tensor, height × width × channels (batch 1, as on a microcontroller).
 *
 * @param height rows
 * @param width  columns
 * @param channels channels
 */
public record TensorShape(int height, int width, int channels) implements java.io.Serializable {

    public TensorShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("tensor sides must be positive, got " + height + "x" + width + "x" + channels);
        }
    }

    /** Number of elements; with int8 activations also the size in bytes. */
    public long elements() {
        return (long) height * width * channels;
    }

    /** Elements of one channel (one spatial plane). */
    public long plane() {
        return (long) height * width;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
