package dev.junction.engine.connector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Messages of a broker for a {@code stream} trigger, opened by {@link ConnectorSession#stream}.
 * The platform <em>pulls</em>: {@link #fetch} returns at most {@code max} messages and the platform
 * asks only for as many as it has room for, so a saturated Junction stops taking messages and the
 * backlog stays in the broker (back-pressure). A message is {@link #ack acknowledged} only after
 * the run it started is durable; one never acknowledged is delivered again by the broker (after a
 * crash, to this or another node). A message that cannot be turned into a run (a poison message)
 * is {@link #reject rejected} after it was kept as a dead letter. Consumer groups let several
 * nodes share one source.
 *
 * <p>{@code fetch} is called by one thread; {@code ack} and {@code reject} may come from others.
 */
public interface StreamSource extends AutoCloseable {
    /**
     * Waits up to {@code wait} for messages; returns between none and {@code max} of them.
     *
     * @throws ConnectorException when the broker is unreachable or refuses (the platform reopens)
     */
    List<Message> fetch(int max, Duration wait) throws ConnectorException;

    /** The run of {@code message} is durable: the broker may forget it. */
    void ack(Message message) throws ConnectorException;

    /** {@code message} is poison (kept as a dead letter by the platform): to the broker's dead letters, or dropped. */
    void reject(Message message, String reason) throws ConnectorException;

    @Override
    void close();

    /**
     * One message. {@code key} is stable across redeliveries of the same message (a Kafka
     * partition/offset, a broker-assigned message id, else a digest of the content): it becomes the
     * run's idempotency key, so a redelivered message starts no second run. {@code meta} holds
     * where it came from (topic, partition, offset, routing key, subject ...); {@code handle} is
     * the connector's own acknowledgement token.
     */
    record Message(String key, byte[] payload, Map<String, String> headers, Map<String, Object> meta, Object handle) {
        public Message {
            headers = Map.copyOf(headers);
            meta = Map.copyOf(meta);
        }
    }

    /**
     * What to consume: {@code source} (topic, queue, subject or key pattern), {@code group}
     * (consumer group, durable consumer name; never null — the platform defaults it to the flow's
     * id), {@code consumer} (this node's name within the group) and connector-specific
     * {@code options}.
     */
    record Spec(String source, String group, String consumer, Map<String, Object> options) {
        public Spec {
            options = Map.copyOf(options);
        }
    }
}
