package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * A core NATS subject, subscribed in the queue group {@code spec.group()} so several nodes share its
 * messages. Core NATS has no acknowledgement and no redelivery: a message is delivered to whoever
 * is subscribed when it is published, and one that was received but whose run was not yet stored
 * when the node died is lost. This source is therefore <em>at most once</em>; use a JetStream
 * consumer ({@code jetstream: true}) for at least once. The local buffer holds at most {@code
 * bufferSize} messages (default 1000); beyond that the client drops them and the next message's
 * {@code meta.dropped} says how many were lost so far. A message's key is its {@code Nats-Msg-Id}
 * header when it has one, else unique to this delivery (there is no second delivery to match).
 * {@code ack} and {@code reject} have nothing to tell the server.
 */
final class NatsCoreSource implements StreamSource {
    private static final Set<String> KNOWN = Set.of("jetstream", "bufferSize");
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(1);

    private final Connection connection;
    private final Subscription subscription;

    private NatsCoreSource(Connection connection, Subscription subscription) {
        this.connection = connection;
        this.subscription = subscription;
    }

    static NatsCoreSource open(NatsSession session, Spec spec) throws ConnectorException {
        NatsStreamOptions.checkKnown(spec, KNOWN);
        long buffer = NatsStreamOptions.whole(spec, "bufferSize", 1000, 1, 1_000_000);
        Connection connection = session.connect("junction-" + spec.group() + "-" + spec.consumer(), false);
        try {
            Subscription sub = connection.subscribe(spec.source(), spec.group());
            sub.setPendingLimits(buffer, 64L * 1024 * 1024);
            connection.flush(Duration.ofSeconds(5)); // the server knows the subscription before we answer
            return new NatsCoreSource(connection, sub);
        } catch (TimeoutException | RuntimeException e) {
            NatsSession.closeQuietly(connection);
            throw new ConnectorException(
                    "CONNECTION",
                    "subscribing to '%s': %s".formatted(spec.source(), e.getMessage()),
                    true,
                    null,
                    null,
                    e);
        } catch (InterruptedException e) {
            NatsSession.closeQuietly(connection);
            Thread.currentThread().interrupt();
            throw new ConnectorException("CONNECTION", "interrupted while subscribing", true);
        }
    }

    @Override
    public List<Message> fetch(int max, Duration wait) throws ConnectorException {
        List<Message> out = new ArrayList<>();
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new ConnectorException(
                    "CONNECTION",
                    "the connection for subject '%s' is %s"
                            .formatted(subscription.getSubject(), connection.getStatus()),
                    true);
        }
        try {
            // nextMessage(0) would wait forever: the shortest wait is 1 ms
            io.nats.client.Message first =
                    subscription.nextMessage(wait.compareTo(SHORTEST_WAIT) < 0 ? SHORTEST_WAIT : wait);
            while (first != null && max > 0) {
                out.add(message(first));
                first = out.size() < max && subscription.getPendingMessageCount() > 0
                        ? subscription.nextMessage(SHORTEST_WAIT)
                        : null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            throw new ConnectorException(
                    "CONNECTION",
                    "reading subject '%s': %s".formatted(subscription.getSubject(), e.getMessage()),
                    true);
        }
        return out;
    }

    private Message message(io.nats.client.Message m) {
        Map<String, String> headers = NatsCommands.headers(m);
        String id = headers.get("Nats-Msg-Id");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("subject", m.getSubject());
        if (m.getReplyTo() != null) {
            meta.put("replyTo", m.getReplyTo());
        }
        long dropped = subscription.getDroppedCount();
        if (dropped > 0) {
            meta.put("dropped", dropped);
        }
        String key = id != null && !id.isBlank() ? "id:" + id : "delivery:" + UUID.randomUUID();
        return new Message("nats:" + m.getSubject() + ":" + key, m.getData(), headers, meta, null);
    }

    @Override
    public void ack(Message message) {
        // core NATS keeps nothing to acknowledge
    }

    @Override
    public void reject(Message message, String reason) {
        // nothing to tell the server; the platform keeps the dead letter
    }

    @Override
    public void close() {
        NatsSession.closeQuietly(connection);
    }
}
