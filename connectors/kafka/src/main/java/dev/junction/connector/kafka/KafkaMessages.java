package dev.junction.connector.kafka;

import dev.junction.engine.connector.StreamSource;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka record as a stream message. Its key {@code kafka:<topic>:<partition>:<offset>} names the
 * record for good, so a redelivery (after a crash or a rebalance) carries the same key. The payload
 * is the record's value bytes as they are (a tombstone's is empty); headers are decoded as UTF-8
 * (a repeated header keeps its last value); {@code meta} holds topic, partition, offset, timestamp
 * and the record's key (as {@code key}, or {@code keyBase64} when it is not UTF-8 text).
 */
final class KafkaMessages {
    private KafkaMessages() {}

    static String key(String topic, int partition, long offset) {
        return "kafka:" + topic + ":" + partition + ":" + offset;
    }

    static StreamSource.Message of(ConsumerRecord<byte[], byte[]> r, Object handle) {
        Map<String, String> headers = new TreeMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("topic", r.topic());
        meta.put("partition", r.partition());
        meta.put("offset", r.offset());
        if (r.timestamp() >= 0) {
            meta.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        }
        if (r.key() != null) {
            String text = utf8(r.key());
            if (text != null) {
                meta.put("key", text);
            } else {
                meta.put("keyBase64", Base64.getEncoder().encodeToString(r.key()));
            }
        }
        return new StreamSource.Message(
                key(r.topic(), r.partition(), r.offset()),
                r.value() == null ? new byte[0] : r.value(),
                headers,
                meta,
                handle);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
