package dev.junction.connector.nats;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorDescriptor.Operation;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.json.Json;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The operations: {@code publish} (core NATS, flushed so the server has it), {@code request}
 * (request/reply with a timeout) and {@code jsPublish} (JetStream, answered by the stream's ack).
 * A body that is not text is sent as JSON.
 */
final class NatsCommands {
    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> BODY = Map.of("description", "text, or any JSON value (sent as JSON)");
    private static final Map<String, Object> HEADERS =
            Map.of("type", "object", "additionalProperties", Map.of("type", "string"));
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    static final List<Operation> OPERATIONS = List.of(
            op(
                    "publish",
                    "Publishes on a subject (core NATS: at most once, to whoever listens now); answers {published, subject}",
                    Map.of("subject", TEXT, "body", BODY, "headers", HEADERS)),
            op(
                    "request",
                    "Sends a request and waits for the first reply; answers {body, headers, subject} of the reply"
                            + " (body parsed when it is JSON)",
                    Map.of(
                            "subject", TEXT,
                            "body", BODY,
                            "headers", HEADERS,
                            "timeoutMillis", Map.of("type", "integer", "minimum", 1, "default", 5000))),
            op(
                    "jsPublish",
                    "Publishes into a JetStream stream and waits for its ack; answers {stream, sequence, duplicate}",
                    Map.of(
                            "subject",
                            TEXT,
                            "body",
                            BODY,
                            "headers",
                            HEADERS,
                            "messageId",
                            Map.of(
                                    "type",
                                    "string",
                                    "description",
                                    "Nats-Msg-Id for the stream's duplicate window; default: the call's idempotency key"),
                            "expectedStream",
                            TEXT)));

    private NatsCommands() {}

    static Object invoke(Connection nats, String operation, OperationInput in, CallContext call)
            throws ConnectorException {
        String subject = in.text("subject");
        byte[] body = body(in);
        Headers headers = headers(in);
        try {
            return switch (operation) {
                case "publish" -> {
                    nats.publish(subject, headers, body);
                    nats.flush(DEFAULT_TIMEOUT); // the server has it, or this fails
                    yield Map.of("published", true, "subject", subject);
                }
                case "request" -> request(nats, subject, headers, body, in);
                case "jsPublish" -> jsPublish(nats, subject, headers, body, in, call);
                default -> throw unknown(operation);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("TIMEOUT", "interrupted while waiting for NATS", true);
        } catch (IOException | TimeoutException | JetStreamApiException e) {
            throw NatsErrors.of(e, "nats '%s' on subject '%s'".formatted(operation, subject));
        }
    }

    static ConnectorException unknown(String operation) {
        return new ConnectorException(
                "OPERATION_NOT_FOUND",
                "the nats connector has no operation '%s'; it has %s"
                        .formatted(
                                operation,
                                OPERATIONS.stream().map(Operation::name).toList()),
                false);
    }

    private static Map<String, Object> request(
            Connection nats, String subject, Headers headers, byte[] body, OperationInput in)
            throws ConnectorException, InterruptedException {
        Duration timeout = Duration.ofMillis(in.number("timeoutMillis", DEFAULT_TIMEOUT.toMillis()));
        Message reply;
        try {
            // waited for here: the client itself notices expired requests only every few seconds
            reply = nats.requestWithTimeout(subject, headers, body, timeout)
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ConnectorException(
                    "TIMEOUT",
                    "no reply on subject '%s' within %d ms".formatted(subject, timeout.toMillis()),
                    true,
                    null,
                    null,
                    e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            String why = String.valueOf(
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            boolean noResponders = e.getCause() instanceof io.nats.client.JetStreamStatusException j
                    && j.getStatus() != null
                    && j.getStatus().getCode() == 503;
            if (noResponders || why.toLowerCase(java.util.Locale.ROOT).contains("no responders")) {
                throw new ConnectorException(
                        "NO_RESPONDERS",
                        "nobody listens on subject '%s' to answer the request".formatted(subject),
                        true);
            }
            throw new ConnectorException(
                    "TIMEOUT",
                    "no reply on subject '%s' within %d ms".formatted(subject, timeout.toMillis()),
                    true,
                    null,
                    null,
                    e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("body", decode(reply.getData()));
        out.put("headers", headers(reply));
        out.put("subject", reply.getSubject());
        return out;
    }

    private static Map<String, Object> jsPublish(
            Connection nats, String subject, Headers headers, byte[] body, OperationInput in, CallContext call)
            throws ConnectorException, IOException, JetStreamApiException {
        PublishOptions.Builder options = PublishOptions.builder();
        String messageId = in.text("messageId", call.idempotencyKey());
        if (messageId != null) {
            options.messageId(messageId);
        }
        String expected = in.text("expectedStream", null);
        if (expected != null) {
            options.expectedStream(expected);
        }
        PublishAck ack = nats.jetStream().publish(subject, headers, body, options.build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream", ack.getStream());
        out.put("sequence", ack.getSeqno());
        out.put("duplicate", ack.isDuplicate());
        return out;
    }

    private static byte[] body(OperationInput in) {
        Object body = in.raw("body");
        return body == null ? new byte[0] : OperationInput.asText(body).getBytes(StandardCharsets.UTF_8);
    }

    private static Headers headers(OperationInput in) throws ConnectorException {
        Object h = in.raw("headers");
        if (h == null) {
            return null;
        }
        if (!(h instanceof Map<?, ?> m)) {
            throw in.invalid("headers", "must be an object of name to text");
        }
        Headers headers = new Headers();
        for (var e : m.entrySet()) {
            headers.add(String.valueOf(e.getKey()), OperationInput.asText(e.getValue()));
        }
        return headers;
    }

    /** A message's headers, multiple values joined by commas. */
    static Map<String, String> headers(Message m) {
        Map<String, String> out = new TreeMap<>();
        if (m.hasHeaders()) {
            m.getHeaders().entrySet().forEach(e -> out.put(e.getKey(), String.join(",", e.getValue())));
        }
        return out;
    }

    /** A reply's body: parsed when it is JSON, else text. */
    private static Object decode(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return Json.read(t);
            } catch (RuntimeException notJson) {
                return text;
            }
        }
        return text;
    }

    private static Operation op(String name, String description, Map<String, Object> props) {
        return new Operation(
                name,
                description,
                Map.of(
                        "type",
                        "object",
                        "additionalProperties",
                        false,
                        "required",
                        List.of("subject"),
                        "properties",
                        props),
                Map.of("type", "object"),
                false);
    }
}
