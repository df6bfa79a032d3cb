package io.sparknas.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol with scripted replies, one
 * step per request in order (then a fallback step): a completion with given content, an error status (with
 * Retry-After), a hang, or a huge body. Records every request's headers and body.
 */
public final class ScriptedChatServer implements AutoCloseable {

    /** What the server does with one request. */
    public sealed interface Step permits Reply, Status, Hang, Huge {
    }

    /** HTTP 200 with a chat completion whose message content is {@code content}. */
    public record Reply(String content) implements Step {
    }

    /** An error status, with an optional Retry-After in seconds (null: none). */
    public record Status(int code, String retryAfter) implements Step {
    }

    /** Sends nothing for {@code millis}, then a valid empty completion. */
    public record Hang(long millis) implements Step {
    }

    /** HTTP 200 whose body is {@code bytes} long: a completion with one enormous content string. */
    public record Huge(long bytes) implements Step {
    }

    /** One request as received. */
    public record Received(String authorization, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-chat-server");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Step> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong hugeBytesSent = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Step fallback;

    public ScriptedChatServer(Step fallback, Step... steps) throws IOException {
        this.fallback = fallback;
        script.addAll(List.of(steps));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** The base URL to configure as {@code llm.endpoint}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Every request received so far. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Bytes of huge bodies actually written before the client stopped reading. */
    public long hugeBytesSent() {
        return hugeBytesSent.get();
    }

    /** The most requests that were being handled at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Appends steps to the script. */
    public void then(Step... steps) {
        script.addAll(List.of(steps));
    }

    /** A completion's content holding {@code {"candidates": [architectures...]}}. */
    public static String candidates(String... architectureJson) {
        return "{\"candidates\": [" + String.join(", ", architectureJson) + "]}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            respond(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"), body));
        Step step = script.poll();
        if (step == null) {
            step = fallback;
        }
        try (exchange) {
            if (step instanceof Reply reply) {
                send(exchange, 200, completion(reply.content()));
            } else if (step instanceof Status status) {
                if (status.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", status.retryAfter());
                }
                send(exchange, status.code(), "{\"error\": {\"message\": \"scripted " + status.code() + "\"}}");
            } else if (step instanceof Hang hang) {
                try {
                    Thread.sleep(hang.millis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, completion(candidates()));
            } else if (step instanceof Huge huge) {
                sendHuge(exchange, huge.bytes());
            }
        } catch (IOException e) {
            // The client gave up (timeout or size limit): nothing more to send.
        }
    }

    private static String completion(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-scripted");
        root.put("object", "chat.completion");
        root.put("created", 0);
        root.put("model", "scripted");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", "stop");
        root.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
        return root.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void sendHuge(HttpExchange exchange, long bytes) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        byte[] head = "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                .getBytes(StandardCharsets.UTF_8);
        out.write(head);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        long sent = head.length;
        while (sent < bytes) {
            out.write(chunk);
            out.flush();
            sent += chunk.length;
            hugeBytesSent.set(sent);
        }
        out.write("\"}}]}".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
