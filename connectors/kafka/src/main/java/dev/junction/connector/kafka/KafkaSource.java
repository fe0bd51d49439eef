package dev.junction.connector.kafka;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One or more topics consumed as a member of a consumer group; the group's members (this node and
 * others) share the partitions. Offsets are committed ({@code commitSync}) only up to the lowest
 * offset per partition whose run is not yet durable: at the next {@code fetch}, when partitions
 * are revoked and on {@code close}. Whatever was not committed is delivered again, to this or
 * another member, with the same key {@code kafka:<topic>:<partition>:<offset>}, which the platform
 * uses as the run's idempotency key.
 *
 * <p>Memory stays bounded: a poll returns at most {@code maxPollRecords} records, records beyond
 * what the platform asked for wait in a local buffer, and while the buffer holds any, every
 * assigned partition is paused so the client fetches nothing more in the background.
 *
 * <p>Thread-safety: {@code fetch} and {@code close} must come from one thread (Kafka's consumer is
 * single-threaded); {@code ack} and {@code reject} may come from any thread — they only queue the
 * acknowledgement, which the consumer's thread applies at its next {@code fetch} or {@code close}.
 */
final class KafkaSource implements StreamSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String source;
    private final DeadLetters deadLetters;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, PartitionAcks> acks = new HashMap<>();
    private final ConcurrentLinkedQueue<Delivery> done = new ConcurrentLinkedQueue<>();

    /** The acknowledgement token of a message: its partition state at hand-out, and the record. */
    record Delivery(TopicPartition partition, PartitionAcks acks, ConsumerRecord<byte[], byte[]> record) {}

    /** Where rejected messages go; {@code null} topic: nowhere (the platform keeps the dead letter). */
    interface DeadLetters {
        void send(ConsumerRecord<byte[], byte[]> record, String reason) throws ConnectorException;
    }

    private KafkaSource(KafkaConsumer<byte[], byte[]> consumer, String source, DeadLetters deadLetters) {
        this.consumer = consumer;
        this.source = source;
        this.deadLetters = deadLetters;
    }

    static KafkaSource open(KafkaSettings settings, StreamOptions options, Spec spec, DeadLetters deadLetters)
            throws ConnectorException {
        List<String> topics = topics(spec.source());
        Map<String, Object> p = settings.clientProperties(spec.consumer());
        p.put("group.id", spec.group());
        p.put("enable.auto.commit", false);
        p.put("auto.offset.reset", options.startFrom());
        p.put("max.poll.records", options.maxPollRecords());
        p.put("allow.auto.create.topics", false);
        p.put("session.timeout.ms", (int) options.sessionTimeout().toMillis());
        p.put("heartbeat.interval.ms", (int) options.sessionTimeout().toMillis() / 3);
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw new ConnectorException(
                    "CONFIG_INVALID", "the Kafka consumer cannot be created: " + e.getMessage(), false, null, null, e);
        }
        KafkaSource kafkaSource = new KafkaSource(consumer, spec.source(), deadLetters);
        try {
            for (String topic : topics) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, KafkaSettings.API_TIMEOUT);
                if (partitions == null || partitions.isEmpty()) {
                    throw new ConnectorException(
                            "SOURCE_NOT_FOUND",
                            "topic '%s' does not exist in the cluster at %s (the stream trigger does not create topics)"
                                    .formatted(topic, settings.bootstrap()),
                            false);
                }
            }
            consumer.subscribe(topics, kafkaSource.new Rebalance());
            return kafkaSource;
        } catch (ConnectorException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        } catch (KafkaException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw KafkaErrors.of(e, "consuming topic '%s'".formatted(spec.source()), "SOURCE_NOT_FOUND");
        }
    }

    private static List<String> topics(String source) throws ConnectorException {
        List<String> topics = new ArrayList<>();
        for (String t : source.split(",")) {
            if (!t.isBlank()) {
                topics.add(t.strip());
            }
        }
        if (topics.isEmpty()) {
            throw new ConnectorException("CONFIG_INVALID", "the stream source names no topic: '" + source + "'", false);
        }
        return topics;
    }

    @Override
    public List<Message> fetch(int max, Duration wait) throws ConnectorException {
        try {
            settle();
            commit();
            if (buffer.size() < max) {
                consumer.resume(consumer.paused());
            } else {
                consumer.pause(consumer.assignment()); // enough buffered: poll only to stay in the group
            }
            // a partition assigned during this poll is not paused yet: what it returns is kept, never dropped
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(buffer.isEmpty() ? wait : Duration.ZERO)) {
                buffer.add(r);
            }
            List<Message> out = new ArrayList<>(Math.min(max, buffer.size()));
            while (out.size() < max && !buffer.isEmpty()) {
                ConsumerRecord<byte[], byte[]> r = buffer.poll();
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                PartitionAcks state = acks.computeIfAbsent(tp, k -> new PartitionAcks());
                state.handedOut(r.offset());
                out.add(KafkaMessages.of(r, new Delivery(tp, state, r)));
            }
            if (buffer.isEmpty()) {
                consumer.resume(consumer.paused());
            } else {
                consumer.pause(consumer.assignment()); // back-pressure: nothing more until the buffer drains
            }
            return out;
        } catch (KafkaException e) {
            throw KafkaErrors.of(e, "consuming topic '%s'".formatted(source), "SOURCE_NOT_FOUND");
        }
    }

    @Override
    public void ack(Message message) {
        done.add((Delivery) message.handle());
    }

    @Override
    public void reject(Message message, String reason) throws ConnectorException {
        Delivery d = (Delivery) message.handle();
        deadLetters.send(d.record(), reason);
        done.add(d);
    }

    /** Applies the acknowledgements queued since the last call; stale ones (partition since revoked) are dropped. */
    private void settle() {
        for (Delivery d = done.poll(); d != null; d = done.poll()) {
            if (acks.get(d.partition()) == d.acks()) {
                d.acks().acknowledged(d.record().offset());
            }
        }
    }

    private void commit() throws ConnectorException {
        commit(acks.keySet());
    }

    private void commit(Collection<TopicPartition> partitions) throws ConnectorException {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionAcks state = acks.get(tp);
            long position = state == null ? -1 : state.committable();
            if (position >= 0) {
                offsets.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, KafkaSettings.API_TIMEOUT);
            offsets.forEach((tp, o) -> acks.get(tp).committed(o.offset()));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partitions moved to another member: it gets these records again, and their keys start no second run
            LOG.info(
                    "commit of {} on '{}' refused by the group ({}); the records are delivered again",
                    offsets,
                    source,
                    e.getMessage());
        } catch (KafkaException e) {
            throw KafkaErrors.of(e, "committing offsets of '%s'".formatted(source), "SOURCE_NOT_FOUND");
        }
    }

    /** Records buffered and not yet handed out (for the memory bound). */
    int buffered() {
        return buffer.size();
    }

    /** Partitions paused for back-pressure. */
    int pausedPartitions() {
        return consumer.paused().size();
    }

    /** The partitions the group gave this member. */
    java.util.Set<TopicPartition> assignment() {
        return consumer.assignment();
    }

    @Override
    public void close() {
        try {
            settle();
            commit();
        } catch (ConnectorException | RuntimeException e) {
            LOG.info(
                    "final commit on '{}' failed ({}); unacknowledged records are delivered again",
                    source,
                    e.getMessage());
        }
        try {
            consumer.close(CloseOptions.timeout(CLOSE_WAIT));
        } catch (RuntimeException e) {
            LOG.debug("closing the consumer of '{}' failed: {}", source, e.toString());
        }
    }

    /** Commits what is acknowledged of partitions taken away and forgets them; runs inside {@code poll}. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            settle();
            try {
                commit(partitions);
            } catch (ConnectorException | RuntimeException e) {
                LOG.info(
                        "commit on revocation of {} failed ({}); their records are delivered again",
                        partitions,
                        e.getMessage());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // state is created when a partition's first record is handed out
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                acks.remove(tp);
            }
            buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
