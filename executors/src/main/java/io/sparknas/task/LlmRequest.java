package io.sparknas.task;

import io.sparknas.llm.LlmSettings;
import io.sparknas.llm.PromptContext;

/**
 * One proposal request as it crosses to an executor: the prompt's data and the endpoint's settings (with the name
 * of the API key's environment variable, not the key).
 *
 * @param island   which of the generation's parallel requests
 * @param islands  how many run in parallel
 * @param seed     the request's sampling seed
 * @param context  what the prompt is built from
 * @param settings the endpoint and its limits
 */
public record LlmRequest(int island, int islands, int seed, PromptContext context, LlmSettings settings)
        implements java.io.Serializable {
}
