package dev.junction.connector.sftp;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pollable {@code newFiles} feed as a pure decision: given a directory listing and the cursor,
 * which files are new and what the next cursor is. A file is identified by {@code (name, mtime,
 * size)}: each is emitted once, and a rewritten file (new mtime or size) again. The cursor keeps a
 * watermark (the newest mtime emitted) and the identities seen within {@code overlap} below it, so a
 * file that shows up late with an older mtime (an upload that keeps the original time, a slow rename)
 * is still found if it is less than {@code overlap} older than the watermark. Files modified less
 * than {@code minAge} ago are left for a later poll (uploaders that write in place).
 */
final class NewFiles {
    private NewFiles() {}

    /** One file of the listing; {@code mtime} in epoch milliseconds. */
    record Entry(String name, long mtime, long size) {}

    /** What the poll remembers; {@code watermark} is in epoch milliseconds. */
    record Cursor(long watermark, Set<Entry> seen) {
        Cursor {
            seen = Set.copyOf(seen);
        }

        static final Cursor START = new Cursor(Long.MIN_VALUE / 2, Set.of());

        Map<String, Object> toJson() {
            List<Object> keys = new ArrayList<>();
            seen.stream()
                    .sorted(Comparator.comparingLong(Entry::mtime).thenComparing(Entry::name))
                    .forEach(e -> keys.add(List.of(e.name(), e.mtime(), e.size())));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("watermark", watermark == START.watermark ? null : watermark);
            out.put("seen", keys);
            return out;
        }

        static Cursor fromJson(OperationInput in) throws ConnectorException {
            Object raw = in.raw("cursor");
            if (raw == null) {
                return START;
            }
            if (!(raw instanceof Map<?, ?> m)
                    || !(m.get("seen") instanceof List<?> keys)
                    || (m.get("watermark") != null && !(m.get("watermark") instanceof Number))) {
                throw in.invalid("cursor", "must be the cursor a previous newFiles call answered, not " + raw);
            }
            Set<Entry> seen = new HashSet<>();
            for (Object k : keys) {
                if (!(k instanceof List<?> l)
                        || l.size() != 3
                        || !(l.get(0) instanceof String name)
                        || !(l.get(1) instanceof Number mtime)
                        || !(l.get(2) instanceof Number size)) {
                    throw in.invalid("cursor", "has a seen entry that is not [name, mtime, size]: " + k);
                }
                seen.add(new Entry(name, mtime.longValue(), size.longValue()));
            }
            return m.get("watermark") instanceof Number w
                    ? new Cursor(w.longValue(), seen)
                    : new Cursor(START.watermark, seen);
        }
    }

    record Decision(List<Entry> emit, Cursor next, boolean more) {
        Decision {
            emit = List.copyOf(emit);
        }
    }

    static Decision decide(
            List<Entry> listing, Cursor cursor, Instant now, long minAgeMillis, long overlapMillis, int limit) {
        long floor = cursor.watermark() - overlapMillis;
        long youngest = now.toEpochMilli() - minAgeMillis;
        List<Entry> candidates = listing.stream()
                .filter(e -> e.mtime() >= floor && !cursor.seen().contains(e))
                .filter(e -> minAgeMillis <= 0 || e.mtime() <= youngest)
                .sorted(Comparator.comparingLong(Entry::mtime).thenComparing(Entry::name))
                .toList();
        List<Entry> emit = candidates.subList(0, Math.min(limit, candidates.size()));
        long watermark = cursor.watermark();
        for (Entry e : emit) {
            watermark = Math.max(watermark, e.mtime());
        }
        long newFloor = watermark - overlapMillis;
        Set<Entry> present = new HashSet<>(listing);
        Set<Entry> seen = new HashSet<>();
        for (Entry e : cursor.seen()) {
            if (present.contains(e) && e.mtime() >= newFloor) {
                seen.add(e); // a file that was removed, or fell below the window, needs no memory
            }
        }
        for (Entry e : emit) {
            if (e.mtime() >= newFloor) {
                seen.add(e);
            }
        }
        Cursor next = emit.isEmpty() && seen.equals(cursor.seen()) ? cursor : new Cursor(watermark, seen);
        return new Decision(emit, next, candidates.size() > emit.size());
    }

    /** Whether {@code name} is a temporary file of an atomic put (this connector's or a client's). */
    static boolean temporary(String name) {
        return name.startsWith(".") && (name.endsWith(".part") || name.endsWith(".tmp"));
    }
}
