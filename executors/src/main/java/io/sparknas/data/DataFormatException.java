package io.sparknas.data;

/** Input data that cannot be used under {@code --strict}: the message names the file and the reason. */
public final class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }
}
