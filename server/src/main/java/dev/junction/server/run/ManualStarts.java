package dev.junction.server.run;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.json.JsonSchemas;
import dev.junction.engine.port.FlowRepository;
import dev.junction.server.api.ApiProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Starts a run of a flow by hand, for the API and the web UI alike: the flow must exist and be
 * enabled, and the input must match a manual trigger's {@code inputSchema}. Thread-safe.
 */
@Component
public class ManualStarts {
    private final FlowRepository flows;
    private final FlowEngine engine;

    ManualStarts(FlowRepository flows, FlowEngine engine) {
        this.flows = flows;
        this.engine = engine;
    }

    /**
     * Starts the latest version of {@code flowId} with {@code input} as the trigger's body.
     *
     * @throws JunctionException {@code FLOW_NOT_FOUND} or {@code FLOW_DISABLED}
     * @throws ApiProblem 422 {@code INPUT_INVALID} when the input breaks the flow's input schema
     */
    public FlowEngine.RunHandle start(String workspace, String flowId, Object input) {
        var flow = flows.find(workspace, flowId)
                .orElseThrow(() -> new JunctionException(
                        ErrorCode.FLOW_NOT_FOUND, "flow '%s' does not exist in this workspace".formatted(flowId)));
        if (!flow.enabled()) {
            throw new JunctionException(
                    ErrorCode.FLOW_DISABLED, "flow '%s' is disabled; PUT a new version to enable it".formatted(flowId));
        }
        if (engine.definition(workspace, flowId, flow.latestVersion()).trigger()
                        instanceof Trigger.Manual(Map<String, Object> schema)
                && schema != null) {
            List<String> violations = JsonSchemas.validate(schema, input);
            if (!violations.isEmpty()) {
                throw new ApiProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "INPUT_INVALID",
                        "the input does not match the flow's inputSchema: " + String.join("; ", violations),
                        Map.of("errors", violations));
            }
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("body", input);
        return engine.start(
                workspace, flowId, flow.latestVersion(), new FlowEngine.TriggerEvent("manual", event, null));
    }
}
