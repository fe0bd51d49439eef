package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import java.util.Set;
import java.util.TreeSet;

/** Reading the stream trigger's options, naming the option in every complaint. */
final class NatsStreamOptions {
    private NatsStreamOptions() {}

    static void checkKnown(StreamSource.Spec spec, Set<String> known) throws ConnectorException {
        for (String name : spec.options().keySet()) {
            if (!known.contains(name)) {
                throw invalid(name, "is not an option of this nats stream trigger; known: " + new TreeSet<>(known));
            }
        }
    }

    static long whole(StreamSource.Spec spec, String name, long fallback, long min, long max)
            throws ConnectorException {
        Object v = spec.options().getOrDefault(name, fallback);
        if (!(v instanceof Number n) || n.longValue() < min || n.longValue() > max) {
            throw invalid(name, "must be a whole number from %d to %d, not %s".formatted(min, max, v));
        }
        return n.longValue();
    }

    static boolean flag(StreamSource.Spec spec, String name, boolean fallback) throws ConnectorException {
        Object v = spec.options().getOrDefault(name, fallback);
        if (!(v instanceof Boolean b)) {
            throw invalid(name, "must be true or false, not " + v);
        }
        return b;
    }

    static ConnectorException invalid(String name, String why) {
        return new ConnectorException("CONFIG_INVALID", "options.%s %s".formatted(name, why), false);
    }
}
