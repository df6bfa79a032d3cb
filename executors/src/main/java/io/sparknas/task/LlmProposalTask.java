package io.sparknas.task;

import io.sparknas.llm.LlmReply;
import io.sparknas.llm.PromptBuilder;
import io.sparknas.llm.ProposalClient;
import io.sparknas.llm.ProposalParser;
import java.util.List;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task that makes one LLM proposal request: builds the prompt, reads the API key from this executor's
 * environment, asks, and returns what came back. It never throws, so a failing endpoint cannot fail the job or make
 * Spark repeat the request: every failure is a reply that says what happened.
 */
public final class LlmProposalTask implements Function<LlmRequest, LlmReply> {

    @Override
    public LlmReply call(LlmRequest request) {
        long start = System.nanoTime();
        String keyVariable = request.settings().apiKeyEnv();
        String key = keyVariable.isEmpty() ? null : System.getenv(keyVariable);
        if (!keyVariable.isEmpty() && (key == null || key.isBlank())) {
            return failure(request, "no API key: environment variable " + keyVariable + " is not set on this executor",
                    start);
        }
        try {
            ProposalClient client = new ProposalClient(request.settings(), key,
                    new ProposalParser(request.context().cell(), 2 * request.context().requested()));
            return client.ask(PromptBuilder.build(request.context(), request.island(), request.islands()),
                    request.island(), request.seed());
        } catch (RuntimeException e) {
            return failure(request, e.getClass().getSimpleName() + ": " + e.getMessage(), start);
        }
    }

    private static LlmReply failure(LlmRequest request, String detail, long start) {
        return new LlmReply(request.island(), "failed", detail, 0, false, (System.nanoTime() - start) / 1e9, 0,
                List.of());
    }
}
