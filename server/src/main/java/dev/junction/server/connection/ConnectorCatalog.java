package dev.junction.server.connection;

import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.server.api.ApiProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The connector catalog: each installed connector with its config schema, auth types, operations and triggers. */
@RestController
class ConnectorCatalog {
    private final ConnectorRegistry registry;

    ConnectorCatalog(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/api/v1/connectors")
    Map<String, Object> list() {
        return Map.of(
                "items",
                registry.descriptors().stream().map(ConnectorCatalog::view).toList());
    }

    @GetMapping("/api/v1/connectors/{id}")
    Map<String, Object> get(@PathVariable String id) {
        return registry.find(id)
                .map(c -> view(c.describe()))
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND, "CONNECTOR_NOT_FOUND", "there is no connector '" + id + "'"));
    }

    static Map<String, Object> view(ConnectorDescriptor d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("name", d.name());
        v.put("description", d.description());
        v.put("configSchema", d.configSchema());
        v.put("authTypes", d.authTypes());
        v.put(
                "operations",
                d.operations().stream().map(ConnectorCatalog::operationView).toList());
        v.put("dynamicOperations", d.dynamicOperations());
        v.put("triggers", d.triggers());
        return v;
    }

    static Map<String, Object> operationView(ConnectorDescriptor.Operation o) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", o.name());
        v.put("description", o.description());
        v.put("inputSchema", o.inputSchema());
        v.put("outputSchema", o.outputSchema());
        v.put("pollable", o.pollable());
        return v;
    }

    static List<String> ids(ConnectorRegistry registry) {
        return registry.descriptors().stream().map(ConnectorDescriptor::id).toList();
    }
}
