package io.sparknas.config;

/**
 * A configuration that cannot be used: an unknown key, a wrong type or an impossible value. The message names
 * the key and where its value came from (a file and line, or the command line).
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
