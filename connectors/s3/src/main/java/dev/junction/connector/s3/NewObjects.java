package dev.junction.connector.s3;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pollable {@code newObjects} feed as a pure decision: given the objects under a prefix and the
 * cursor, which are new and what the next cursor is. An object is identified by {@code (key,
 * lastModified, etag)}: each is emitted once, and an overwritten one again. The cursor keeps a
 * watermark (the newest lastModified emitted) and the identities seen from {@code overlap} below it
 * up to it, so objects sharing the watermark's second are not lost, and an object that becomes
 * visible late with an older lastModified (S3 dates a multipart upload by its start) is still found
 * within {@code overlap}.
 */
final class NewObjects {
    private NewObjects() {}

    /** One listed object; {@code lastModified} in epoch milliseconds. */
    record Entry(String key, long lastModified, String etag, long size) {
        Entry identity() {
            return new Entry(key, lastModified, etag, 0);
        }
    }

    /** What the poll remembers; {@code watermark} is in epoch milliseconds. */
    record Cursor(long watermark, Set<Entry> seen) {
        static final long NONE = Long.MIN_VALUE / 2;

        Cursor {
            seen = Set.copyOf(seen);
        }

        Map<String, Object> toJson() {
            List<Object> keys = new ArrayList<>();
            seen.stream()
                    .sorted(Comparator.comparingLong(Entry::lastModified).thenComparing(Entry::key))
                    .forEach(e -> keys.add(List.of(e.key(), e.lastModified(), e.etag())));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("watermark", watermark == NONE ? null : watermark);
            out.put("seen", keys);
            return out;
        }

        static Cursor fromJson(OperationInput in) throws ConnectorException {
            Object raw = in.raw("cursor");
            if (raw == null) {
                return new Cursor(NONE, Set.of());
            }
            if (!(raw instanceof Map<?, ?> m)
                    || !(m.get("seen") instanceof List<?> keys)
                    || (m.get("watermark") != null && !(m.get("watermark") instanceof Number))) {
                throw in.invalid("cursor", "must be the cursor a previous newObjects call answered, not " + raw);
            }
            Set<Entry> seen = new HashSet<>();
            for (Object k : keys) {
                if (!(k instanceof List<?> l)
                        || l.size() != 3
                        || !(l.get(0) instanceof String key)
                        || !(l.get(1) instanceof Number time)
                        || !(l.get(2) instanceof String etag)) {
                    throw in.invalid("cursor", "has a seen entry that is not [key, lastModified, etag]: " + k);
                }
                seen.add(new Entry(key, time.longValue(), etag, 0));
            }
            long watermark = m.get("watermark") instanceof Number w ? w.longValue() : NONE;
            return new Cursor(watermark, seen);
        }
    }

    record Decision(List<Entry> emit, Cursor next, boolean more) {
        Decision {
            emit = List.copyOf(emit);
        }
    }

    static Decision decide(List<Entry> listing, Cursor cursor, long overlapMillis, int limit) {
        long floor = cursor.watermark() - overlapMillis;
        List<Entry> candidates = listing.stream()
                .filter(e -> e.lastModified() >= floor && !cursor.seen().contains(e.identity()))
                .sorted(Comparator.comparingLong(Entry::lastModified).thenComparing(Entry::key))
                .toList();
        List<Entry> emit = candidates.subList(0, Math.min(limit, candidates.size()));
        long watermark = cursor.watermark();
        for (Entry e : emit) {
            watermark = Math.max(watermark, e.lastModified());
        }
        long newFloor = watermark - overlapMillis;
        Set<Entry> present = new HashSet<>();
        listing.forEach(e -> present.add(e.identity()));
        Set<Entry> seen = new HashSet<>();
        for (Entry e : cursor.seen()) {
            if (present.contains(e) && e.lastModified() >= newFloor) {
                seen.add(e); // a deleted object, or one below the window, needs no memory
            }
        }
        for (Entry e : emit) {
            if (e.lastModified() >= newFloor) {
                seen.add(e.identity());
            }
        }
        return new Decision(emit, new Cursor(watermark, seen), candidates.size() > emit.size());
    }
}
