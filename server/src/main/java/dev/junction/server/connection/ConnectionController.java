package dev.junction.server.connection;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connections API. Secret fields are write-only: views list which are set ({@code secretsSet})
 * but never their values; an update that omits a secret keeps the stored one.
 */
@RestController
class ConnectionController {
    private final ConnectionService connections;
    private final ConnectionPolls polls;
    private final JunctionSettings settings;

    ConnectionController(ConnectionService connections, ConnectionPolls polls, JunctionSettings settings) {
        this.connections = connections;
        this.polls = polls;
        this.settings = settings;
    }

    @PostMapping("/api/v1/connections")
    ResponseEntity<Map<String, Object>> create(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, HttpServletRequest request) {
        Map<String, Object> view = connections.create(ws, RequestBodies.jsonObject(request, settings.maxBodyBytes()));
        return ResponseEntity.created(URI.create("/api/v1/connections/" + view.get("id")))
                .eTag("\"" + view.get("version") + "\"")
                .body(view);
    }

    @GetMapping("/api/v1/connections")
    Map<String, Object> list(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws) {
        return Map.of("items", connections.list(ws));
    }

    @GetMapping("/api/v1/connections/{id}")
    ResponseEntity<Map<String, Object>> get(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        Map<String, Object> view = connections.get(ws, id);
        return ResponseEntity.ok().eTag("\"" + view.get("version") + "\"").body(view);
    }

    @PutMapping("/api/v1/connections/{id}")
    ResponseEntity<Map<String, Object>> update(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String ws,
            @PathVariable String id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            HttpServletRequest request) {
        Map<String, Object> view = connections.update(
                ws, id, RequestBodies.jsonObject(request, settings.maxBodyBytes()), version(ifMatch));
        return ResponseEntity.ok().eTag("\"" + view.get("version") + "\"").body(view);
    }

    @DeleteMapping("/api/v1/connections/{id}")
    ResponseEntity<Void> delete(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        connections.delete(ws, id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/connections/{id}/test")
    Map<String, Object> test(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        return connections.test(ws, id);
    }

    @PostMapping("/api/v1/connections/{id}/activate")
    Map<String, Object> activate(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        return connections.activate(ws, id);
    }

    @PostMapping("/api/v1/connections/{id}/disable")
    Map<String, Object> disable(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        return connections.disable(ws, id);
    }

    @PostMapping("/api/v1/connections/{id}/poll")
    Map<String, Object> poll(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        return polls.pollNow(ws, id);
    }

    @GetMapping("/api/v1/connections/{id}/operations")
    Map<String, Object> operations(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        return Map.of("items", connections.operations(ws, id));
    }

    private static Integer version(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        String v = ifMatch.strip().replace("W/", "").replace("\"", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "If-Match must be the ETag of the connection, such as \"3\"",
                    Map.of("field", "If-Match"));
        }
    }
}
