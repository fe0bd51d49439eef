package dev.junction.server.flow;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.FlowInvalidException;
import dev.junction.engine.flow.FlowProblem;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowVersion;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Checks and saves flow definitions for the API ({@code POST/PUT /api/v1/flows}) and the web UI's
 * editor alike, so both parse with the engine's {@link dev.junction.engine.flow.FlowParser} and
 * store through one {@link FlowRepository#save} with the same version check. The caller checks the
 * role; the audit filter records the request. Thread-safe.
 */
@Component
public class FlowVersions {
    private final FlowRepository flows;
    private final FlowEngine engine;
    private final Clock clock;

    FlowVersions(FlowRepository flows, FlowEngine engine, Clock clock) {
        this.flows = flows;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * Parses {@code source} without saving anything.
     *
     * @throws FlowInvalidException listing every problem with its line and column
     */
    public FlowDefinition check(String source, SourceFormat format) {
        return engine.parser().parse(source, format);
    }

    /**
     * Creates a flow from {@code source} as its version 1.
     *
     * @throws FlowInvalidException when the definition is invalid
     * @throws dev.junction.engine.error.JunctionException {@code FLOW_CONFLICT} when the flow exists
     */
    public FlowVersion create(String workspace, String source, SourceFormat format) {
        return flows.save(newVersion(workspace, check(source, format), source, format), 0);
    }

    /**
     * Saves {@code source} as the next version of flow {@code id}, provided its latest version is
     * still {@code expectedLatest} (someone else's save in between is a {@code FLOW_CONFLICT});
     * null expects whatever version is the latest now. The definition is checked before the flow is
     * looked up, so an invalid one is refused even for a flow that does not exist.
     *
     * @throws FlowInvalidException when the definition is invalid or names another flow id
     * @throws dev.junction.engine.error.JunctionException {@code FLOW_NOT_FOUND} or {@code
     *     FLOW_CONFLICT}
     */
    public FlowVersion update(String workspace, String id, String source, SourceFormat format, Integer expectedLatest) {
        FlowDefinition definition = check(source, format);
        if (!definition.id().equals(id)) {
            throw new FlowInvalidException(List.of(new FlowProblem(
                    "id",
                    0,
                    0,
                    "the definition's id '%s' differs from the flow's '%s'".formatted(definition.id(), id),
                    id)));
        }
        int expected = expectedLatest != null
                ? expectedLatest
                : flows.find(workspace, id)
                        .orElseThrow(() -> new JunctionException(
                                ErrorCode.FLOW_NOT_FOUND, "flow '%s' does not exist in this workspace".formatted(id)))
                        .latestVersion();
        return flows.save(newVersion(workspace, definition, source, format), expected);
    }

    /** YAML, unless the text is a JSON object (YAML would read it too, but store it as JSON). */
    public static SourceFormat formatOf(String source) {
        return source.strip().startsWith("{") ? SourceFormat.JSON : SourceFormat.YAML;
    }

    private FlowRepository.NewVersion newVersion(
            String workspace, FlowDefinition d, String source, SourceFormat format) {
        String method = d.trigger() instanceof Trigger.Webhook w ? w.method() : null;
        String path = d.trigger() instanceof Trigger.Webhook w ? w.path() : null;
        return new FlowRepository.NewVersion(
                workspace, d.id(), d.name(), source, format, d.trigger().type(), method, path, clock.instant());
    }
}
