package dev.junction.engine.stream;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowRecord;
import dev.junction.engine.port.Sleeper;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream triggers consumed on this node: every node consumes every enabled stream-triggered
 * flow (the broker's consumer groups share the messages out). {@link #sync()} starts a consumer for
 * a new flow, restarts one whose flow has a new version, and stops those of disabled or deleted
 * flows. Thread-safe.
 */
public final class StreamConsumers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumers.class);

    private final FlowRepository flows;
    private final FlowEngine engine;
    private final Connections connections;
    private final Sleeper sleeper;
    private final Clock clock;
    private final String node;
    private final Map<String, StreamConsumer> running = new ConcurrentHashMap<>();

    public StreamConsumers(
            FlowRepository flows,
            FlowEngine engine,
            Connections connections,
            Sleeper sleeper,
            Clock clock,
            String node) {
        this.flows = flows;
        this.engine = engine;
        this.connections = connections;
        this.sleeper = sleeper;
        this.clock = clock;
        this.node = node;
    }

    /** Brings the consumers in line with the enabled stream flows; returns how many run. */
    public synchronized int sync() {
        Set<String> wanted = new HashSet<>();
        for (FlowRecord flow : flows.enabledWithTrigger("stream")) {
            String key = key(flow.workspaceId(), flow.flowId());
            wanted.add(key);
            StreamConsumer current = running.get(key);
            if (current != null && current.version() == flow.latestVersion()) {
                continue;
            }
            Trigger.Stream trigger =
                    (Trigger.Stream) engine.definition(flow.workspaceId(), flow.flowId(), flow.latestVersion())
                            .trigger();
            if (current != null) {
                current.stop();
            }
            StreamConsumer next = new StreamConsumer(
                    flow.workspaceId(),
                    flow.flowId(),
                    flow.latestVersion(),
                    trigger,
                    engine,
                    connections,
                    sleeper,
                    clock,
                    node);
            running.put(key, next);
            next.start();
            LOG.info(
                    "consuming {} of connection {} for flow {} (version {})",
                    trigger.source(),
                    trigger.connection(),
                    flow.flowId(),
                    flow.latestVersion());
        }
        running.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().stop();
            return true;
        });
        return running.size();
    }

    /** How the stream trigger of a flow fares on this node, if it is consumed here. */
    public Optional<Map<String, Object>> status(String workspaceId, String flowId) {
        return Optional.ofNullable(running.get(key(workspaceId, flowId))).map(StreamConsumer::status);
    }

    @Override
    public synchronized void close() {
        running.values().forEach(StreamConsumer::stop);
        running.clear();
    }

    private static String key(String workspaceId, String flowId) {
        return workspaceId + "/" + flowId;
    }
}
