package io.sparknas.space;

/**
 * An architecture text that cannot be read: malformed JSON, a missing or mistyped field. The message names the
 * field (for example {@code stages[1][0].kernel}) and, where known, the source.
 */
public final class ArchitectureFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ArchitectureFormatException(String message) {
        super(message);
    }

    public ArchitectureFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
