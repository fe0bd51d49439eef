package dev.junction.server.flow;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowRecord;
import dev.junction.engine.port.FlowRepository.FlowVersion;
import dev.junction.engine.port.PollStore;
import dev.junction.engine.stream.StreamConsumers;
import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/flows}: create, version, read and disable flows. Definitions as YAML or JSON. */
@RestController
@RequestMapping("/api/v1/flows")
class FlowController {
    private final FlowRepository flows;
    private final FlowVersions versions;
    private final JunctionSettings settings;
    private final PollStore polls;
    private final StreamConsumers streams;

    FlowController(
            FlowRepository flows,
            FlowVersions versions,
            JunctionSettings settings,
            PollStore polls,
            StreamConsumers streams) {
        this.flows = flows;
        this.versions = versions;
        this.settings = settings;
        this.polls = polls;
        this.streams = streams;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, HttpServletRequest request) {
        SourceFormat format = format(request.getContentType());
        FlowVersion v = versions.create(workspace, body(request), format);
        return ResponseEntity.created(URI.create("/api/v1/flows/" + v.flowId()))
                .eTag(etag(v.version()))
                .body(view(workspace, v.flowId()));
    }

    @PutMapping("/{id}")
    ResponseEntity<Map<String, Object>> update(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @PathVariable String id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            HttpServletRequest request) {
        SourceFormat format = format(request.getContentType());
        Integer expected = ifMatch == null ? null : parseEtag(ifMatch);
        FlowVersion v = versions.update(workspace, id, body(request), format, expected);
        return ResponseEntity.ok().eTag(etag(v.version())).body(view(workspace, id));
    }

    @GetMapping
    Map<String, Object> list(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        return Map.of(
                "items",
                flows.list(workspace).stream().map(FlowController::summary).toList());
    }

    @GetMapping("/{id}")
    ResponseEntity<Map<String, Object>> get(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String id) {
        FlowRecord f = flows.find(workspace, id).orElseThrow(() -> notFound(id));
        return ResponseEntity.ok().eTag(etag(f.latestVersion())).body(view(workspace, id));
    }

    @GetMapping("/{id}/versions")
    Map<String, Object> versions(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String id) {
        flows.find(workspace, id).orElseThrow(() -> notFound(id));
        return Map.of(
                "items",
                flows.versions(workspace, id).stream()
                        .map(v -> versionView(v, false))
                        .toList());
    }

    @GetMapping("/{id}/versions/{version}")
    Map<String, Object> version(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @PathVariable String id,
            @PathVariable int version) {
        return versionView(
                flows.version(workspace, id, version)
                        .orElseThrow(() -> new JunctionException(
                                ErrorCode.FLOW_NOT_FOUND, "flow '%s' has no version %d".formatted(id, version))),
                true);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> disable(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String id) {
        if (!flows.disable(workspace, id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private String body(HttpServletRequest request) {
        return RequestBodies.readText(request, settings.maxBodyBytes());
    }

    static SourceFormat format(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return SourceFormat.JSON;
        }
        if (type.startsWith("application/yaml")
                || type.startsWith("application/x-yaml")
                || type.startsWith("text/yaml")
                || type.startsWith("text/x-yaml")) {
            return SourceFormat.YAML;
        }
        throw new ApiProblem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "a flow definition is sent as application/yaml or application/json, not '%s'"
                        .formatted(contentType == null ? "(no Content-Type)" : contentType),
                Map.of("accepted", List.of(MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_YAML_VALUE)));
    }

    private Map<String, Object> view(String workspace, String id) {
        FlowRecord f = flows.find(workspace, id).orElseThrow(() -> notFound(id));
        Map<String, Object> m = summary(f);
        FlowVersion v = flows.version(workspace, id, f.latestVersion()).orElseThrow(() -> notFound(id));
        m.put("format", v.format().name().toLowerCase(Locale.ROOT));
        m.put("source", v.source());
        if ("poll".equals(f.triggerType())) {
            m.put("poll", pollView(polls.state(workspace, id).orElse(null)));
        }
        if ("stream".equals(f.triggerType())) {
            m.put("stream", streams.status(workspace, id).orElse(Map.of("status", "not consumed on this node")));
        }
        return m;
    }

    /** Where a poll trigger's feed stands: {@code {nextPollAt, lastPolledAt, lastError, items, cursor}}. */
    private static Map<String, Object> pollView(PollStore.State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s == null) {
            m.put("status", "not polled yet");
            return m;
        }
        m.put("status", s.lastError() == null ? "ok" : "failing");
        m.put("nextPollAt", s.next().toString());
        m.put("lastPolledAt", s.lastPolledAt() == null ? null : s.lastPolledAt().toString());
        m.put("lastError", s.lastError());
        m.put("items", s.items());
        m.put("cursor", s.cursor());
        return m;
    }

    private static Map<String, Object> summary(FlowRecord f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.flowId());
        m.put("name", f.name());
        m.put("version", f.latestVersion());
        m.put("enabled", f.enabled());
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", f.triggerType());
        if (f.webhookPath() != null) {
            trigger.put("method", f.webhookMethod());
            trigger.put("path", f.webhookPath());
            trigger.put("url", "/hooks/" + f.workspaceId() + "/" + f.webhookPath());
        }
        m.put("trigger", trigger);
        m.put("createdAt", f.createdAt().toString());
        m.put("updatedAt", f.updatedAt().toString());
        return m;
    }

    private static Map<String, Object> versionView(FlowVersion v, boolean withSource) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.flowId());
        m.put("version", v.version());
        m.put("name", v.name());
        m.put("createdAt", v.createdAt().toString());
        if (withSource) {
            m.put("format", v.format().name().toLowerCase(Locale.ROOT));
            m.put("source", v.source());
        }
        return m;
    }

    private static String etag(int version) {
        return "\"" + version + "\"";
    }

    private static int parseEtag(String ifMatch) {
        try {
            return Integer.parseInt(ifMatch.replace("W/", "").replace("\"", "").strip());
        } catch (NumberFormatException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "If-Match must be the ETag of a flow version, such as \"3\"; got " + ifMatch);
        }
    }

    static JunctionException notFound(String id) {
        return new JunctionException(
                ErrorCode.FLOW_NOT_FOUND, "flow '%s' does not exist in this workspace".formatted(id));
    }
}
