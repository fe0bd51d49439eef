package dev.junction.connector.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue consumed with manual acknowledgement on a connection of its own. The broker pushes at
 * most {@code prefetch} unacknowledged messages (option, default 100), so the local buffer is
 * bounded too; closing the source hands every unacknowledged message back to the queue. A
 * message's key is its {@code message-id} property, else a SHA-256 of exchange, routing key,
 * headers and body (so a redelivered message keeps its key). A rejected (poison) message is
 * published to the {@code deadLetterExchange} option when set, else rejected without requeue,
 * which sends it to the queue's own dead-letter exchange if it has one.
 */
final class AmqpSource implements StreamSource {
    private static final int DEFAULT_PREFETCH = 100;

    private final String queue;
    private final Connection connection;
    private final Channel channel;
    private final String deadLetterExchange;
    private final LinkedBlockingQueue<Message> buffer = new LinkedBlockingQueue<>();
    private volatile ShutdownSignalException broken;

    private AmqpSource(String queue, Connection connection, Channel channel, String deadLetterExchange) {
        this.queue = queue;
        this.connection = connection;
        this.channel = channel;
        this.deadLetterExchange = deadLetterExchange;
    }

    static AmqpSource open(AmqpSession session, Spec spec) throws ConnectorException {
        int prefetch = DEFAULT_PREFETCH;
        Object p = spec.options().get("prefetch");
        if (p != null) {
            if (!(p instanceof Number n) || n.intValue() < 1 || n.intValue() > 1000) {
                throw new ConnectorException("CONFIG_INVALID", "options.prefetch must be from 1 to 1000", false);
            }
            prefetch = n.intValue();
        }
        Object dlx = spec.options().get("deadLetterExchange");
        Connection connection = session.connect("junction-" + spec.group() + "-" + spec.consumer());
        try {
            Channel channel = connection.createChannel();
            channel.queueDeclarePassive(spec.source()); // SOURCE_NOT_FOUND rather than waiting forever
            channel.basicQos(prefetch);
            AmqpSource source =
                    new AmqpSource(spec.source(), connection, channel, dlx == null ? null : String.valueOf(dlx));
            channel.basicConsume(spec.source(), false, source.new Receiver(channel));
            return source;
        } catch (IOException | ShutdownSignalException e) {
            AmqpSession.closeQuietly(connection);
            throw AmqpErrors.of(e, "consuming queue '%s'".formatted(spec.source()));
        }
    }

    /** Buffers what the broker pushes; notes a closed channel. */
    private final class Receiver extends DefaultConsumer {
        Receiver(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            buffer.add(message(envelope, props, body));
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            if (!sig.isInitiatedByApplication()) {
                broken = sig;
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            broken = new ShutdownSignalException(false, false, null, "the queue '" + queue + "' was deleted");
        }
    }

    private Message message(Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        Map<String, String> headers = new TreeMap<>();
        if (props.getHeaders() != null) {
            props.getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
        }
        if (props.getContentType() != null) {
            headers.put("content-type", props.getContentType());
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("queue", queue);
        meta.put("exchange", envelope.getExchange());
        meta.put("routingKey", envelope.getRoutingKey());
        meta.put("redelivered", envelope.isRedeliver());
        if (props.getMessageId() != null) {
            meta.put("messageId", props.getMessageId());
        }
        if (props.getTimestamp() != null) {
            meta.put("timestamp", props.getTimestamp().toInstant().toString());
        }
        String id = props.getMessageId() != null && !props.getMessageId().isBlank()
                ? props.getMessageId()
                : "sha256:" + digest(envelope, headers, body);
        return new Message("amqp:" + queue + ":" + id, body, headers, meta, envelope.getDeliveryTag());
    }

    @Override
    public List<Message> fetch(int max, Duration wait) throws ConnectorException {
        List<Message> out = new ArrayList<>();
        try {
            Message first = buffer.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                out.add(first);
                buffer.drainTo(out, max - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out.isEmpty() && broken != null) {
            throw AmqpErrors.of(broken, "consuming queue '%s'".formatted(queue));
        }
        return out;
    }

    @Override
    public void ack(Message message) throws ConnectorException {
        try {
            channel.basicAck((Long) message.handle(), false);
        } catch (IOException | ShutdownSignalException e) {
            throw AmqpErrors.of(e, "acknowledging a message of '%s'".formatted(queue));
        }
    }

    @Override
    public void reject(Message message, String reason) throws ConnectorException {
        try {
            if (deadLetterExchange != null) {
                Map<String, Object> headers = new LinkedHashMap<>(message.headers());
                headers.remove("content-type");
                headers.put("x-junction-reason", reason);
                headers.put("x-junction-queue", queue);
                channel.basicPublish(
                        deadLetterExchange,
                        String.valueOf(message.meta().get("routingKey")),
                        new AMQP.BasicProperties.Builder()
                                .headers(headers)
                                .contentType(message.headers().get("content-type"))
                                .deliveryMode(2)
                                .build(),
                        message.payload());
                channel.basicAck((Long) message.handle(), false);
            } else {
                channel.basicReject((Long) message.handle(), false);
            }
        } catch (IOException | ShutdownSignalException e) {
            throw AmqpErrors.of(e, "rejecting a message of '%s'".formatted(queue));
        }
    }

    @Override
    public void close() {
        AmqpSession.closeQuietly(connection); // unacknowledged messages go back to the queue
    }

    private static String digest(Envelope envelope, Map<String, String> headers, byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((envelope.getExchange() + "\n" + envelope.getRoutingKey() + "\n" + headers + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            d.update(body);
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
