package io.sparknas.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks an OpenAI-compatible endpoint for candidates, through LangChain4j's OpenAI chat model over a
 * {@link BoundedHttpClient}. Retries (Failsafe) follow 429s, 5xx statuses, timeouts and connection failures with
 * exponential backoff, honouring Retry-After; a reply without readable JSON gets one format reminder. Never throws
 * for anything the endpoint does: every failure comes back as an {@link LlmReply} that says what happened.
 */
public final class ProposalClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmSettings settings;
    private final OpenAiChatModel model;
    private final ProposalParser parser;
    private final RetryPolicy<String> retry;

    /**
     * @param settings the endpoint and its limits
     * @param apiKey   the API key, or null/empty for endpoints without one (Ollama, vLLM)
     * @param parser   how replies are read
     */
    public ProposalClient(LlmSettings settings, String apiKey, ProposalParser parser) {
        this.settings = settings;
        this.parser = parser;
        this.model = OpenAiChatModel.builder()
                .baseUrl(settings.endpoint())
                .apiKey(apiKey == null || apiKey.isEmpty() ? "none" : apiKey)
                .modelName(settings.model())
                .temperature(settings.temperature())
                .timeout(settings.timeout())
                .maxRetries(0)
                .httpClientBuilder(new BoundedHttpClient.Builder(settings.timeout(), settings.maxReplyBytes()))
                .build();
        Duration backoff = settings.backoff().isZero() ? Duration.ofMillis(1) : settings.backoff();
        Duration maxBackoff = settings.maxBackoff().compareTo(backoff) > 0 ? settings.maxBackoff() : backoff.plusMillis(1);
        this.retry = RetryPolicy.<String>builder()
                .handleIf(failure -> LlmCallException.of(failure).kind().retryable())
                .withMaxRetries(settings.retries())
                .withBackoff(backoff, maxBackoff)
                .withDelayFn(context -> {
                    Throwable last = context.getLastException();
                    Duration asked = last == null ? null : LlmCallException.of(last).retryAfter();
                    return asked == null ? Duration.ofMillis(-1)
                            : asked.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : asked;
                })
                .build();
    }

    /** Sends the prompt (and, if needed, one format reminder); {@code seed} is the request's sampling seed. */
    public LlmReply ask(ChatPrompt prompt, int island, int seed) {
        long start = System.nanoTime();
        AtomicInteger attempts = new AtomicInteger();
        List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from(prompt.system()),
                UserMessage.from(prompt.user())));
        String reply;
        try {
            reply = complete(messages, prompt.schema(), seed, attempts);
        } catch (LlmCallException e) {
            return failed(island, e, attempts.get(), false, start);
        }
        ParsedReply parsed = parser.parse(reply);
        boolean reminded = false;
        if (!parsed.jsonFound()) {
            reminded = true;
            messages.add(AiMessage.from(ProposalParser.cut(reply, 2_000)));
            messages.add(UserMessage.from(PromptBuilder.FORMAT_REMINDER));
            try {
                reply = complete(messages, prompt.schema(), seed, attempts);
            } catch (LlmCallException e) {
                return failed(island, e, attempts.get(), true, start);
            }
            parsed = parser.parse(reply);
            if (!parsed.jsonFound()) {
                return new LlmReply(island, "no-json", "no JSON candidates in the reply, nor after a format reminder: "
                        + BoundedHttpClient.excerpt(reply, 160), attempts.get(), true, seconds(start), reply.length(),
                        List.of());
            }
        }
        return new LlmReply(island, "ok", "", attempts.get(), reminded, seconds(start), reply.length(),
                parsed.proposals());
    }

    private String complete(List<ChatMessage> messages, String schema, int seed, AtomicInteger attempts) {
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder()
                .modelName(settings.model()).temperature(settings.temperature()).seed(seed);
        switch (settings.responseFormat()) {
            case "json-object" -> parameters.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                    .build());
            case "json-schema" -> parameters.customParameters(Map.of("response_format", jsonSchemaFormat(schema)));
            default -> {
            }
        }
        ChatRequest request = ChatRequest.builder().messages(messages).parameters(parameters.build()).build();
        try {
            return Failsafe.with(retry).get(() -> {
                attempts.incrementAndGet();
                try {
                    String text = model.chat(request).aiMessage().text();
                    if (text == null) {
                        throw new LlmCallException(LlmCallException.Kind.PROTOCOL, "the reply held no message text");
                    }
                    return text;
                } catch (RuntimeException e) {
                    throw LlmCallException.of(e);
                }
            });
        } catch (FailsafeException e) {
            throw LlmCallException.of(e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw LlmCallException.of(e);
        }
    }

    /**
     * OpenAI's {@code json_schema} response format with our schema as is: LangChain4j's schema types cannot express
     * enumerations of numbers, which are most of the space's choices.
     */
    private static Map<String, Object> jsonSchemaFormat(String schema) {
        try {
            Map<String, Object> body = JSON.readValue(schema, new TypeReference<Map<String, Object>>() { });
            return Map.of("type", "json_schema", "json_schema", Map.of("name", "candidates", "schema", body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the reply schema is built by PromptBuilder and always valid", e);
        }
    }

    private LlmReply failed(int island, LlmCallException e, int attempts, boolean reminded, long start) {
        String kind = e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return new LlmReply(island, "failed", kind + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + ": " + e.getMessage(), attempts, reminded, seconds(start), 0, List.of());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
