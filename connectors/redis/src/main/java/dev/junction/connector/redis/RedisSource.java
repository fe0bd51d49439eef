package dev.junction.connector.redis;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A Redis Stream read through a consumer group ({@code spec.group()}) as consumer {@code
 * spec.consumer()}, on a client of its own (one connection blocks in {@code XREADGROUP} while others
 * acknowledge).
 *
 * <p>Order of reading: first this consumer's own pending entries (read but never acknowledged,
 * e.g. before a crash or a {@link #close}), then entries idle for {@code claimAfterSeconds} in the
 * pending lists of other consumers ({@code XAUTOCLAIM}: a node that died, since node names change
 * with every start), then new entries ({@code XREADGROUP ... >} with {@code COUNT} = what the
 * platform asked for). An entry is {@code XACK}ed only when its run is durable. Its key is the
 * stream and entry id, which never change. A rejected (poison) entry is copied to the dead-letter
 * stream (default {@code <stream>:dead}) with the reason, then acknowledged.
 *
 * <p>The group is created (with {@code MKSTREAM}) when missing unless {@code createGroup: false};
 * then a missing stream or group is {@code SOURCE_NOT_FOUND}. {@code fetch} is called by one thread;
 * {@code ack} and {@code reject} may come from others.
 */
final class RedisSource implements StreamSource {
    private static final Duration MAX_BLOCK = Duration.ofSeconds(5);

    private final RedisClient redis;
    private final String stream;
    private final String group;
    private final String consumer;
    private final RedisStreamOptions options;
    /** Where reading this consumer's own pending entries goes on; null once they are all read. */
    private StreamEntryID ownPending = new StreamEntryID(0, 0);
    /** Where the current XAUTOCLAIM scan goes on; null between scans. */
    private StreamEntryID claimCursor = new StreamEntryID(0, 0);

    private long nextClaimScan;

    private RedisSource(RedisClient redis, StreamSource.Spec spec, RedisStreamOptions options) {
        this.redis = redis;
        this.stream = spec.source();
        this.group = spec.group();
        this.consumer = spec.consumer();
        this.options = options;
    }

    static RedisSource open(RedisSession session, Spec spec, int socketTimeoutMillis) throws ConnectorException {
        if (spec.source() == null || spec.source().isBlank()) {
            throw new ConnectorException(
                    "CONFIG_INVALID", "the stream trigger needs a source: the stream's key", false);
        }
        RedisStreamOptions options = RedisStreamOptions.of(spec);
        RedisClient redis = session.connect("junction-" + spec.group() + "-" + spec.consumer(), 3);
        try {
            joinGroup(redis, spec, options);
            return new RedisSource(redis, spec, options);
        } catch (JedisException e) {
            redis.close();
            throw RedisErrors.of(e, "reading stream '%s' as group '%s'".formatted(spec.source(), spec.group()));
        } catch (ConnectorException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    private static void joinGroup(RedisClient redis, Spec spec, RedisStreamOptions options) throws ConnectorException {
        if (!options.createGroup()) {
            if (!redis.exists(spec.source())) {
                throw new ConnectorException(
                        "SOURCE_NOT_FOUND",
                        "there is no stream '%s' (createGroup is false, so it is not created)".formatted(spec.source()),
                        false);
            }
            boolean found = redis.xinfoGroups(spec.source()).stream()
                    .anyMatch(g -> g.getName().equals(spec.group()));
            if (!found) {
                throw new ConnectorException(
                        "SOURCE_NOT_FOUND",
                        "stream '%s' has no consumer group '%s' (createGroup is false, so it is not created)"
                                .formatted(spec.source(), spec.group()),
                        false);
            }
            return;
        }
        try {
            redis.xgroupCreate(spec.source(), spec.group(), options.start(), true);
        } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e; // BUSYGROUP: the group exists, which is what we want
            }
        }
    }

    @Override
    public List<Message> fetch(int max, Duration wait) throws ConnectorException {
        if (max < 1) {
            return List.of();
        }
        try {
            if (ownPending != null) {
                List<Message> own = readOwnPending(max);
                if (!own.isEmpty()) {
                    return own;
                }
            }
            List<Message> claimed = claimIdle(max);
            if (!claimed.isEmpty()) {
                return claimed;
            }
            return readNew(max, wait);
        } catch (JedisException e) {
            throw RedisErrors.of(e, "reading stream '%s' as group '%s'".formatted(stream, group));
        }
    }

    private List<Message> readOwnPending(int max) {
        List<StreamEntry> entries =
                read(ownPending, XReadGroupParams.xReadGroupParams().count(max));
        if (entries.isEmpty()) {
            ownPending = null;
            return List.of();
        }
        ownPending = entries.getLast().getID();
        return messages(entries, true);
    }

    private List<Message> claimIdle(int max) {
        if (options.claimAfter().isZero()) {
            return List.of();
        }
        long now = System.nanoTime();
        if (claimCursor == null) {
            if (now - nextClaimScan < 0) {
                return List.of();
            }
            claimCursor = new StreamEntryID(0, 0);
        }
        Map.Entry<StreamEntryID, List<StreamEntry>> claimed = redis.xautoclaim(
                stream,
                group,
                consumer,
                options.claimAfter().toMillis(),
                claimCursor,
                XAutoClaimParams.xAutoClaimParams().count(max));
        StreamEntryID next = claimed.getKey();
        if (next == null || next.equals(new StreamEntryID(0, 0))) {
            claimCursor = null; // scan complete; the next one after half the idle time
            nextClaimScan = now + options.claimAfter().dividedBy(2).toNanos();
        } else {
            claimCursor = next;
        }
        return messages(claimed.getValue(), true);
    }

    private List<Message> readNew(int max, Duration wait) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(max);
        long block = Math.min(wait.toMillis(), MAX_BLOCK.toMillis());
        if (block > 0) {
            params.block((int) block);
        }
        return messages(read(StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY, params), false);
    }

    private List<StreamEntry> read(StreamEntryID from, XReadGroupParams params) {
        var answer = redis.xreadGroup(group, consumer, params, Map.of(stream, from));
        List<StreamEntry> out = new ArrayList<>();
        if (answer != null) {
            answer.forEach(e -> out.addAll(e.getValue()));
        }
        return out;
    }

    private List<Message> messages(List<StreamEntry> entries, boolean redelivered) {
        List<Message> out = new ArrayList<>();
        for (StreamEntry e : entries) {
            if (e == null) {
                continue;
            }
            if (e.getFields() == null) {
                // deleted from the stream (XDEL, trimming) while pending: nothing left to run
                redis.xack(stream, group, e.getID());
                continue;
            }
            out.add(message(e, redelivered));
        }
        return out;
    }

    private Message message(StreamEntry e, boolean redelivered) {
        Map<String, String> fields = e.getFields();
        String body = fields.get(options.bodyField());
        Map<String, String> headers = new TreeMap<>(fields);
        byte[] payload;
        if (body != null) {
            headers.remove(options.bodyField());
            payload = body.getBytes(StandardCharsets.UTF_8);
        } else {
            headers.clear(); // the whole entry is the body
            payload = Json.write(new TreeMap<>(fields)).getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("stream", stream);
        meta.put("id", e.getID().toString());
        meta.put("group", group);
        meta.put("redelivered", redelivered);
        return new Message("redis:" + stream + ":" + e.getID(), payload, headers, meta, new Handle(e.getID(), fields));
    }

    /** What {@link #ack} and {@link #reject} need of an entry. */
    private record Handle(StreamEntryID id, Map<String, String> fields) {}

    @Override
    public void ack(Message message) throws ConnectorException {
        Handle h = (Handle) message.handle();
        try {
            redis.xack(stream, group, h.id());
        } catch (JedisException e) {
            throw RedisErrors.of(e, "acknowledging entry %s of stream '%s'".formatted(h.id(), stream));
        }
    }

    @Override
    public void reject(Message message, String reason) throws ConnectorException {
        Handle h = (Handle) message.handle();
        try {
            if (options.deadLetterStream() != null) {
                Map<String, String> dead = new LinkedHashMap<>(h.fields());
                dead.put("x-junction-reason", reason);
                dead.put("x-junction-source", stream + ":" + h.id());
                redis.xadd(options.deadLetterStream(), StreamEntryID.NEW_ENTRY, dead);
            }
            redis.xack(stream, group, h.id());
        } catch (JedisException e) {
            throw RedisErrors.of(e, "rejecting entry %s of stream '%s'".formatted(h.id(), stream));
        }
    }

    @Override
    public void close() {
        redis.close(); // entries not acknowledged stay pending for this group and are read again
    }
}
