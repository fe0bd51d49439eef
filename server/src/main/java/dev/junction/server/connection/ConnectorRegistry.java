package dev.junction.server.connection;

import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The connectors on the class path, found by {@link ServiceLoader}, by id. */
@Component
public class ConnectorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);

    private final Map<String, Connector> connectors;

    ConnectorRegistry() {
        Map<String, Connector> found = new TreeMap<>();
        for (Connector c : ServiceLoader.load(Connector.class)) {
            String id = c.describe().id();
            if (found.putIfAbsent(id, c) != null) {
                LOG.warn(
                        "two connectors claim the id '{}'; keeping {}",
                        id,
                        found.get(id).getClass().getName());
            }
        }
        connectors = Collections.unmodifiableMap(found);
        LOG.info("connectors: {}", connectors.keySet());
    }

    public Optional<Connector> find(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    public List<ConnectorDescriptor> descriptors() {
        List<ConnectorDescriptor> out = new ArrayList<>();
        connectors.values().forEach(c -> out.add(c.describe()));
        return out;
    }
}
