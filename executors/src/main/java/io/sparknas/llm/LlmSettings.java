package io.sparknas.llm;

import java.time.Duration;

/**
 * How the LLM proposer talks to an OpenAI-compatible chat-completions endpoint and how much of the evolution it
 * feeds. Crosses to executor tasks inside each request, so it holds the <em>name</em> of the environment variable
 * with the API key, never the key itself.
 *
 * @param endpoint             base URL of the OpenAI-compatible API, e.g. {@code http://localhost:11434/v1}; empty:
 *                             the proposer is off
 * @param model                model name sent with every request
 * @param apiKeyEnv            name of the environment variable holding the API key on every executor; empty: none
 * @param temperature          sampling temperature
 * @param timeout              limit of one HTTP exchange, reply body included
 * @param retries              retries of one request after a 429, a 5xx, a timeout or a connection failure
 * @param backoff              delay before the first retry, doubled each time (a Retry-After header wins)
 * @param maxBackoff           the longest delay between retries
 * @param concurrency          requests per generation, each one Spark task with its own sampling seed
 * @param requestsPerMinute    the most requests started per minute over the run; 0: unlimited
 * @param fraction             share of each generation's offspring that comes from the LLM
 * @param candidatesPerRequest candidates asked for in one request
 * @param historyBest          best evaluated candidates shown in the prompt
 * @param historyInfeasible    recent infeasible candidates shown with their violated budgets
 * @param historyAvoid         evaluated candidates listed (in short form) as not to be proposed again
 * @param maxReplyBytes        larger replies are cut off and the request fails
 * @param breakerFailures      consecutive failed requests that turn the proposer off for the rest of the run
 * @param responseFormat       {@code json-schema}, {@code json-object} or {@code none}: the endpoint's structured
 *                             output mode to ask for
 */
public record LlmSettings(String endpoint, String model, String apiKeyEnv, double temperature, Duration timeout,
                          int retries, Duration backoff, Duration maxBackoff, int concurrency,
                          double requestsPerMinute, double fraction, int candidatesPerRequest, int historyBest,
                          int historyInfeasible, int historyAvoid, long maxReplyBytes, int breakerFailures,
                          String responseFormat) implements java.io.Serializable {

    /** The structured-output modes an endpoint can be asked for. */
    public static final java.util.List<String> RESPONSE_FORMATS = java.util.List.of("json-schema", "json-object",
            "none");

    public LlmSettings {
        endpoint = endpoint == null ? "" : endpoint.trim();
        apiKeyEnv = apiKeyEnv == null ? "" : apiKeyEnv.trim();
        if (!RESPONSE_FORMATS.contains(responseFormat)) {
            throw new IllegalArgumentException("response format '" + responseFormat + "' is not one of "
                    + RESPONSE_FORMATS);
        }
    }

    /** Whether an endpoint is configured. */
    public boolean enabled() {
        return !endpoint.isEmpty();
    }

    /** This configuration with another endpoint (tests, and the CLI's --endpoint). */
    public LlmSettings withEndpoint(String newEndpoint) {
        return new LlmSettings(newEndpoint, model, apiKeyEnv, temperature, timeout, retries, backoff, maxBackoff,
                concurrency, requestsPerMinute, fraction, candidatesPerRequest, historyBest, historyInfeasible,
                historyAvoid, maxReplyBytes, breakerFailures, responseFormat);
    }
}
