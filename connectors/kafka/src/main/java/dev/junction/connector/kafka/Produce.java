package dev.junction.connector.kafka;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The {@code produce} operation: one record with an optional key, headers and partition, written by
 * the connection's idempotent producer ({@code acks=all}); it answers once the cluster has the
 * record: {@code {topic, partition, offset}}. A JSON value is sent as JSON with the header {@code
 * content-type: application/json}, a text value as UTF-8. The call's idempotency key travels as
 * the header {@code Idempotency-Key} so that consumers can recognise a record produced twice by a
 * retried step.
 */
final class Produce {
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final java.util.Set<String> FIELDS =
            java.util.Set.of("topic", "partition", "key", "value", "headers");

    private Produce() {}

    /** A validated {@code produce} input. */
    record Input(String topic, Integer partition, String key, byte[] value, Map<String, String> headers) {
        Input {
            headers = Map.copyOf(headers);
        }

        static Input of(Object input, CallContext call) throws ConnectorException {
            if (!(input instanceof Map<?, ?> in)) {
                throw invalid("the input must be an object such as {\"topic\": \"orders\", \"value\": {...}}");
            }
            for (Object name : in.keySet()) {
                if (!FIELDS.contains(name)) {
                    throw invalid("input.%s is unknown; produce takes topic, key, value, headers and partition"
                            .formatted(name));
                }
            }
            if (!(in.get("topic") instanceof String topic) || topic.isBlank()) {
                throw invalid("input.topic is required: the topic to write to");
            }
            Integer partition = null;
            if (in.get("partition") != null) {
                if (!(in.get("partition") instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 0) {
                    throw invalid("input.partition must be a partition number (0 or more), not " + in.get("partition"));
                }
                partition = n.intValue();
            }
            Object k = in.get("key");
            if (k != null && !(k instanceof String)) {
                throw invalid("input.key must be text");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            Object value = in.get("value");
            boolean json = value != null && !(value instanceof String);
            if (json) {
                headers.put("content-type", "application/json");
            }
            if (call.idempotencyKey() != null) {
                headers.put(IDEMPOTENCY_HEADER, call.idempotencyKey());
            }
            if (in.get("headers") instanceof Map<?, ?> h) {
                h.forEach((name, v) ->
                        headers.put(String.valueOf(name), v == null ? "" : v instanceof String s ? s : Json.write(v)));
            } else if (in.get("headers") != null) {
                throw invalid("input.headers must be an object of name to value");
            }
            byte[] bytes =
                    value == null ? null : (json ? Json.write(value) : (String) value).getBytes(StandardCharsets.UTF_8);
            return new Input(topic, partition, (String) k, bytes, headers);
        }
    }

    static Map<String, Object> send(Producer<byte[], byte[]> producer, Input in, Duration timeout)
            throws ConnectorException {
        RecordHeaders headers = new RecordHeaders();
        in.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                in.topic(),
                in.partition(),
                in.key() == null ? null : in.key().getBytes(StandardCharsets.UTF_8),
                in.value(),
                headers);
        String doing = "producing to topic '%s'".formatted(in.topic());
        try {
            if (in.partition() != null) {
                // the producer would wait for a partition that does not exist as for a missing topic
                int count = producer.partitionsFor(in.topic()).size();
                if (in.partition() >= count) {
                    throw new ConnectorException(
                            "INPUT_INVALID",
                            "%s: input.partition is %d, but the topic has %d partition(s), numbered from 0"
                                    .formatted(doing, in.partition(), count),
                            false);
                }
            }
            RecordMetadata m = producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("topic", m.topic());
            out.put("partition", m.partition());
            out.put("offset", m.offset());
            return out;
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage());
            if (message.contains("Partition ") && message.contains("not present in metadata")) {
                throw new ConnectorException("INPUT_INVALID", doing + ": " + message, false, null, null, e);
            }
            if (message.contains("not present in metadata")) {
                throw new ConnectorException(
                        "TOPIC_NOT_FOUND",
                        doing + ": the topic did not appear in the cluster's metadata within "
                                + KafkaSettings.API_TIMEOUT.toSeconds() + " s (it does not exist, and the cluster"
                                + " does not create topics automatically)",
                        false,
                        null,
                        null,
                        e);
            }
            if (message.contains("Invalid partition")) {
                throw new ConnectorException("INPUT_INVALID", doing + ": " + message, false, null, null, e);
            }
            throw KafkaErrors.of(cause, doing, "TOPIC_NOT_FOUND");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ConnectorException(
                    "TIMEOUT",
                    doing + ": no acknowledgement within " + timeout.toMillis() + " ms",
                    true,
                    null,
                    null,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("TIMEOUT", doing + ": interrupted", true, null, null, e);
        }
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException("INPUT_INVALID", message, false);
    }
}
