package dev.junction.engine.memory;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.port.FlowRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link FlowRepository} in memory, for tests and embedding. Thread-safe (one lock). */
public final class InMemoryFlowRepository implements FlowRepository {
    private final Map<String, FlowRecord> flows = new TreeMap<>();
    private final Map<String, List<FlowVersion>> versions = new TreeMap<>();

    private static String key(String workspaceId, String flowId) {
        return workspaceId + "\u0000" + flowId;
    }

    @Override
    public synchronized FlowVersion save(NewVersion next, int expectedLatest) {
        String key = key(next.workspaceId(), next.flowId());
        FlowRecord current = flows.get(key);
        if (expectedLatest == 0 && current != null) {
            throw new JunctionException(
                    ErrorCode.FLOW_CONFLICT, "flow '%s' already exists; update it with PUT".formatted(next.flowId()));
        }
        if (expectedLatest > 0 && current == null) {
            throw new JunctionException(ErrorCode.FLOW_NOT_FOUND, "flow '%s' does not exist".formatted(next.flowId()));
        }
        if (current != null && current.latestVersion() != expectedLatest) {
            throw new JunctionException(
                    ErrorCode.FLOW_CONFLICT,
                    "flow '%s' is at version %d, not %d"
                            .formatted(next.flowId(), current.latestVersion(), expectedLatest));
        }
        if (next.webhookPath() != null) {
            for (FlowRecord other : flows.values()) {
                if (other.enabled()
                        && other.workspaceId().equals(next.workspaceId())
                        && !other.flowId().equals(next.flowId())
                        && Objects.equals(other.webhookMethod(), next.webhookMethod())
                        && Objects.equals(other.webhookPath(), next.webhookPath())) {
                    throw new JunctionException(
                            ErrorCode.FLOW_CONFLICT,
                            "webhook %s %s already belongs to flow '%s'"
                                    .formatted(next.webhookMethod(), next.webhookPath(), other.flowId()));
                }
            }
        }
        int version = expectedLatest + 1;
        FlowVersion stored = new FlowVersion(
                next.workspaceId(), next.flowId(), version, next.name(), next.source(), next.format(), next.at());
        versions.computeIfAbsent(key, k -> new ArrayList<>()).add(stored);
        flows.put(
                key,
                new FlowRecord(
                        next.workspaceId(),
                        next.flowId(),
                        next.name(),
                        version,
                        true,
                        next.triggerType(),
                        next.webhookMethod(),
                        next.webhookPath(),
                        current == null ? next.at() : current.createdAt(),
                        next.at()));
        return stored;
    }

    @Override
    public synchronized Optional<FlowRecord> find(String workspaceId, String flowId) {
        return Optional.ofNullable(flows.get(key(workspaceId, flowId)));
    }

    @Override
    public synchronized Optional<FlowVersion> version(String workspaceId, String flowId, int version) {
        return versions.getOrDefault(key(workspaceId, flowId), List.of()).stream()
                .filter(v -> v.version() == version)
                .findFirst();
    }

    @Override
    public synchronized List<FlowVersion> versions(String workspaceId, String flowId) {
        return versions.getOrDefault(key(workspaceId, flowId), List.of()).stream()
                .sorted(Comparator.comparingInt(FlowVersion::version).reversed())
                .toList();
    }

    @Override
    public synchronized List<FlowRecord> list(String workspaceId) {
        return flows.values().stream()
                .filter(f -> f.workspaceId().equals(workspaceId))
                .toList();
    }

    @Override
    public synchronized boolean disable(String workspaceId, String flowId) {
        FlowRecord f = flows.get(key(workspaceId, flowId));
        if (f == null) {
            return false;
        }
        flows.put(
                key(workspaceId, flowId),
                new FlowRecord(
                        f.workspaceId(),
                        f.flowId(),
                        f.name(),
                        f.latestVersion(),
                        false,
                        f.triggerType(),
                        f.webhookMethod(),
                        f.webhookPath(),
                        f.createdAt(),
                        f.updatedAt()));
        return true;
    }

    @Override
    public synchronized Optional<FlowRecord> findWebhook(String workspaceId, String method, String path) {
        return flows.values().stream()
                .filter(f -> f.enabled()
                        && f.workspaceId().equals(workspaceId)
                        && method.equals(f.webhookMethod())
                        && path.equals(f.webhookPath()))
                .findFirst();
    }

    @Override
    public synchronized List<FlowRecord> enabledWithTrigger(String triggerType) {
        return flows.values().stream()
                .filter(f -> f.enabled() && triggerType.equals(f.triggerType()))
                .toList();
    }
}
