package dev.junction.engine.port;

import dev.junction.engine.flow.SourceFormat;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Flows and their immutable, numbered versions, per workspace. A flow's webhook route
 * ({@code method}, {@code path}) is unique among the workspace's enabled flows.
 */
public interface FlowRepository {

    /**
     * Stores {@code next} as version {@code expectedLatest + 1}; {@code expectedLatest = 0} creates
     * the flow. Enables the flow.
     *
     * @throws dev.junction.engine.error.JunctionException {@code FLOW_CONFLICT} when the flow
     *     exists (create), its latest version is not {@code expectedLatest}, or another enabled flow
     *     owns the webhook route; {@code FLOW_NOT_FOUND} when updating a flow that does not exist
     */
    FlowVersion save(NewVersion next, int expectedLatest);

    Optional<FlowRecord> find(String workspaceId, String flowId);

    Optional<FlowVersion> version(String workspaceId, String flowId, int version);

    /** Versions newest first. */
    List<FlowVersion> versions(String workspaceId, String flowId);

    List<FlowRecord> list(String workspaceId);

    /** Disables the flow and frees its webhook route; false when there is no such flow. */
    boolean disable(String workspaceId, String flowId);

    /** The enabled flow that owns a webhook route. */
    Optional<FlowRecord> findWebhook(String workspaceId, String method, String path);

    /** Enabled flows of every workspace with a trigger of {@code type}. */
    List<FlowRecord> enabledWithTrigger(String triggerType);

    /** What a new version carries; the route fields are null unless the trigger is a webhook. */
    record NewVersion(
            String workspaceId,
            String flowId,
            String name,
            String source,
            SourceFormat format,
            String triggerType,
            String webhookMethod,
            String webhookPath,
            Instant at) {}

    record FlowVersion(
            String workspaceId,
            String flowId,
            int version,
            String name,
            String source,
            SourceFormat format,
            Instant createdAt) {}

    record FlowRecord(
            String workspaceId,
            String flowId,
            String name,
            int latestVersion,
            boolean enabled,
            String triggerType,
            String webhookMethod,
            String webhookPath,
            Instant createdAt,
            Instant updatedAt) {}
}
