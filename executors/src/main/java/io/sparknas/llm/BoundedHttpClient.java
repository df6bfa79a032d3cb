package io.sparknas.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP transport under LangChain4j's OpenAI client, bounded in time and size. LangChain4j's own JDK client reads
 * a whole reply into memory and its timeout stops at the response headers, so a server that streams a huge body,
 * or stalls in the middle of one, could hold a task for ever or fill its heap. This one gives the whole exchange one
 * deadline, stops reading past {@code maxBytes}, and turns error statuses into classified
 * {@link LlmCallException}s that keep the server's Retry-After.
 */
final class BoundedHttpClient implements HttpClient {

    private final java.net.http.HttpClient client;
    private final Duration timeout;
    private final long maxBytes;

    BoundedHttpClient(Duration timeout, long maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(timeout);
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        switch (request.method()) {
            case POST -> builder.POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    request.body() == null ? "" : request.body(), StandardCharsets.UTF_8));
            case GET -> builder.GET();
            case DELETE -> builder.DELETE();
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(builder.build(),
                info -> new CappedBody(maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new LlmCallException(LlmCallException.Kind.TIMEOUT, 0, null,
                    "no complete reply within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new LlmCallException(LlmCallException.Kind.TIMEOUT, 0, null, "interrupted", e);
        } catch (ExecutionException e) {
            throw classify(e.getCause());
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        int status = response.statusCode();
        if (status >= 400) {
            LlmCallException.Kind kind = status == 429 ? LlmCallException.Kind.RATE_LIMITED
                    : status >= 500 ? LlmCallException.Kind.SERVER_ERROR : LlmCallException.Kind.REFUSED;
            throw new LlmCallException(kind, status, retryAfter(response.headers().firstValue("Retry-After")
                    .orElse(null)), "HTTP " + status + ": " + excerpt(body, 200), null);
        }
        return SuccessfulHttpResponse.builder().statusCode(status).headers(response.headers().map()).body(body)
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("SparkNAS asks for complete replies; streaming is not used");
    }

    private LlmCallException classify(Throwable cause) {
        if (cause instanceof LlmCallException call) {
            return call;
        }
        if (cause instanceof HttpTimeoutException) {
            return new LlmCallException(LlmCallException.Kind.TIMEOUT, 0, null,
                    "no reply within " + timeout.toMillis() + " ms", cause);
        }
        if (cause instanceof IOException) {
            return new LlmCallException(LlmCallException.Kind.CONNECTION, 0, null,
                    "cannot reach the endpoint: " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
        }
        return new LlmCallException(LlmCallException.Kind.PROTOCOL, 0, null, String.valueOf(cause), cause);
    }

    /** A Retry-After header in seconds (the HTTP-date form is rare from these servers and is ignored). */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(header.trim());
            return seconds >= 0 ? Duration.ofMillis((long) (seconds * 1000)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String excerpt(String text, int limit) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= limit ? flat : flat.substring(0, limit) + String.format(Locale.ROOT, "… (%d chars)",
                flat.length());
    }

    /** Collects a body up to a limit; past it, cancels the stream and fails. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                if (bytes.size() + (long) n > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new LlmCallException(LlmCallException.Kind.TOO_LARGE,
                            "reply larger than " + limit + " bytes: not read further"));
                    return;
                }
                byte[] chunk = new byte[n];
                buffer.get(chunk);
                bytes.write(chunk, 0, n);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** Hands LangChain4j this client; the model's own timeouts are superseded by the one given here. */
    record Builder(Duration timeout, long maxBytes) implements HttpClientBuilder {
        @Override
        public Duration connectTimeout() {
            return timeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration ignored) {
            return this;
        }

        @Override
        public Duration readTimeout() {
            return timeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration ignored) {
            return this;
        }

        @Override
        public HttpClient build() {
            return new BoundedHttpClient(timeout, maxBytes);
        }
    }
}
