package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A durable JetStream pull consumer: {@code options.stream} names the stream, {@code spec.source()}
 * the filter subject, {@code spec.group()} the durable consumer (created with explicit acks when
 * missing unless {@code createConsumer: false}; several nodes pulling from it share its messages).
 * {@code fetch(max)} pulls at most {@code max}; a message is acknowledged ({@code ackSync}) only when
 * its run is durable. What was fetched but not acknowledged when the source closes is {@code nak}ed
 * (delivered again at once); after a crash the server delivers it again once {@code ackWaitSeconds}
 * (30) have passed. The key is the stream and the stream sequence, which redelivery keeps. A
 * rejected (poison) message is {@code term}inated: the server never delivers it again.
 */
final class NatsJetStreamSource implements StreamSource {
    private static final Set<String> KNOWN =
            Set.of("jetstream", "stream", "createConsumer", "ackWaitSeconds", "maxAckPending", "deliver");
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    /** The client refuses pulls that expire sooner. */
    private static final Duration SHORTEST_PULL = Duration.ofSeconds(1);

    private final String stream;
    private final String durable;
    private final Connection connection;
    private final ConsumerContext consumer;
    /** Fetched and neither acknowledged nor rejected, by stream sequence: nak'ed on close. */
    private final Map<Long, io.nats.client.Message> unsettled = new ConcurrentHashMap<>();

    private NatsJetStreamSource(String stream, String durable, Connection connection, ConsumerContext consumer) {
        this.stream = stream;
        this.durable = durable;
        this.connection = connection;
        this.consumer = consumer;
    }

    static NatsJetStreamSource open(NatsSession session, Spec spec) throws ConnectorException {
        NatsStreamOptions.checkKnown(spec, KNOWN);
        if (!(spec.options().get("stream") instanceof String stream) || stream.isBlank()) {
            throw NatsStreamOptions.invalid("stream", "must name the JetStream stream (e.g. ORDERS)");
        }
        String durable = spec.group().replaceAll("[^A-Za-z0-9_-]", "_");
        Connection connection = session.connect("junction-" + durable + "-" + spec.consumer(), false);
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            jsm.getStreamInfo(stream); // SOURCE_NOT_FOUND when it does not exist
            try {
                jsm.getConsumerInfo(stream, durable);
            } catch (JetStreamApiException missing) {
                if (missing.getErrorCode() != 404 || !NatsStreamOptions.flag(spec, "createConsumer", true)) {
                    throw missing;
                }
                jsm.addOrUpdateConsumer(stream, consumer(spec, durable));
            }
            ConsumerContext consumer = connection.getStreamContext(stream).getConsumerContext(durable);
            return new NatsJetStreamSource(stream, durable, connection, consumer);
        } catch (IOException | JetStreamApiException e) {
            NatsSession.closeQuietly(connection);
            throw NatsErrors.of(e, "consuming stream '%s' as durable consumer '%s'".formatted(stream, durable));
        } catch (ConnectorException | RuntimeException e) {
            NatsSession.closeQuietly(connection);
            throw e;
        }
    }

    private static ConsumerConfiguration consumer(Spec spec, String durable) throws ConnectorException {
        String deliver = String.valueOf(spec.options().getOrDefault("deliver", "all"));
        DeliverPolicy policy =
                switch (deliver) {
                    case "all" -> DeliverPolicy.All;
                    case "new" -> DeliverPolicy.New;
                    default ->
                        throw NatsStreamOptions.invalid("deliver", "must be 'all' or 'new', not '" + deliver + "'");
                };
        return ConsumerConfiguration.builder()
                .durable(durable)
                .filterSubject(spec.source())
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(policy)
                .ackWait(Duration.ofSeconds(NatsStreamOptions.whole(spec, "ackWaitSeconds", 30, 1, 86_400)))
                .maxAckPending(NatsStreamOptions.whole(spec, "maxAckPending", 1000, 1, 1_000_000))
                .build();
    }

    @Override
    public List<Message> fetch(int max, Duration wait) throws ConnectorException {
        if (max < 1) {
            return List.of();
        }
        List<io.nats.client.Message> pulled = new ArrayList<>();
        // no-wait with expiry: answered as soon as messages are there (up to max), else after the first
        // one or the expiry; a plain expiring pull would wait for all max messages
        FetchConsumeOptions pull = FetchConsumeOptions.builder()
                .maxMessages(max)
                .noWaitExpiresIn((wait.compareTo(SHORTEST_PULL) < 0 ? SHORTEST_PULL : wait).toMillis())
                .build();
        String doing = "pulling from consumer '%s' of stream '%s'".formatted(durable, stream);
        try (FetchConsumer fetch = consumer.fetch(pull)) {
            for (io.nats.client.Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                pulled.add(m);
            }
        } catch (JetStreamStatusCheckedException e) {
            throw new ConnectorException(
                    e.getCause() instanceof io.nats.client.JetStreamStatusException j
                                    && j.getStatus() != null
                                    && j.getStatus().getCode() == 409
                            ? "SOURCE_NOT_FOUND" // the consumer was deleted
                            : "CONNECTION",
                    doing + ": " + e.getMessage(),
                    true,
                    null,
                    null,
                    e);
        } catch (IOException | JetStreamApiException e) {
            throw NatsErrors.of(e, doing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // IllegalStateException when the connection closed; close() of the fetch
            throw new ConnectorException("CONNECTION", doing + ": " + e.getMessage(), true, null, null, e);
        }
        List<Message> out = new ArrayList<>(pulled.size());
        for (io.nats.client.Message m : pulled) {
            NatsJetStreamMetaData md = m.metaData();
            unsettled.put(md.streamSequence(), m);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("stream", stream);
            meta.put("subject", m.getSubject());
            meta.put("sequence", md.streamSequence());
            meta.put("deliveredCount", md.deliveredCount());
            meta.put("redelivered", md.deliveredCount() > 1);
            out.add(new Message(
                    "nats:js:" + stream + ":" + md.streamSequence(), m.getData(), NatsCommands.headers(m), meta, m));
        }
        return out;
    }

    @Override
    public void ack(Message message) throws ConnectorException {
        io.nats.client.Message m = (io.nats.client.Message) message.handle();
        try {
            m.ackSync(ACK_WAIT);
            unsettled.remove(m.metaData().streamSequence());
        } catch (TimeoutException e) {
            throw NatsErrors.of(e, "acknowledging %s".formatted(message.key()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("TIMEOUT", "interrupted while acknowledging " + message.key(), true);
        } catch (IllegalStateException e) {
            throw new ConnectorException(
                    "CONNECTION", "acknowledging %s: %s".formatted(message.key(), e.getMessage()), true);
        }
    }

    @Override
    public void reject(Message message, String reason) throws ConnectorException {
        io.nats.client.Message m = (io.nats.client.Message) message.handle();
        try {
            m.term();
            connection.flush(ACK_WAIT);
            unsettled.remove(m.metaData().streamSequence());
        } catch (TimeoutException e) {
            throw NatsErrors.of(e, "terminating %s".formatted(message.key()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("TIMEOUT", "interrupted while terminating " + message.key(), true);
        } catch (IllegalStateException e) {
            throw new ConnectorException(
                    "CONNECTION", "terminating %s: %s".formatted(message.key(), e.getMessage()), true);
        }
    }

    @Override
    public void close() {
        try {
            for (io.nats.client.Message m : unsettled.values()) {
                m.nak(); // delivered again now rather than after the ack wait
            }
            if (!unsettled.isEmpty()) {
                connection.flush(ACK_WAIT);
            }
        } catch (TimeoutException | IllegalStateException e) {
            // the server redelivers them after the ack wait anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unsettled.clear();
        NatsSession.closeQuietly(connection);
    }
}
