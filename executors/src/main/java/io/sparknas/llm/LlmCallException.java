package io.sparknas.llm;

import java.time.Duration;

/**
 * Why one exchange with the LLM endpoint failed, classified so the retry policy and the circuit breaker can act on
 * it: rate limiting, server errors, timeouts and connection failures are worth retrying; a refused request (4xx)
 * or an oversized reply are not.
 */
public final class LlmCallException extends RuntimeException {

    /** The kinds of failure. */
    public enum Kind {
        /** HTTP 429. */
        RATE_LIMITED(true),
        /** HTTP 5xx. */
        SERVER_ERROR(true),
        /** Any other HTTP error status (bad request, unknown model, wrong key). */
        REFUSED(false),
        /** No complete reply within the timeout. */
        TIMEOUT(true),
        /** The endpoint could not be reached. */
        CONNECTION(true),
        /** The reply body exceeded {@code llm.max-reply-bytes}. */
        TOO_LARGE(false),
        /** The reply was not a chat completion, or no API key was found. */
        PROTOCOL(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether a retry may succeed. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public LlmCallException(Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public LlmCallException(Kind kind, String message) {
        this(kind, 0, null, message, null);
    }

    /** The failure kind. */
    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when the failure was not an HTTP error status. */
    public int status() {
        return status;
    }

    /** The delay the server asked for (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The classified failure inside {@code failure} (LangChain4j wraps what its HTTP client throws); anything
     * unrecognised is a protocol failure.
     */
    public static LlmCallException of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LlmCallException call) {
                return call;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new LlmCallException(Kind.PROTOCOL, 0, null, failure.getClass().getSimpleName() + ": "
                + failure.getMessage(), failure);
    }
}
