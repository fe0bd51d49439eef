package dev.junction.connector.openapi;

import dev.junction.engine.connector.ConnectorDescriptor;
import java.util.List;
import java.util.Map;

/**
 * One operation of an OpenAPI document as this connector calls it: where it is ({@code method},
 * {@code path} template), its parameters and body, and the JSON Schemas of its input ({@code
 * {<param>..., body}}) and output ({@code {status, headers, body}}). Immutable.
 */
record ApiOperation(
        String name,
        String method,
        String path,
        String description,
        List<Param> params,
        Body body,
        Map<String, Object> inputSchema,
        Map<String, Object> outputSchema) {
    ApiOperation {
        params = List.copyOf(params);
    }

    /** Where a parameter goes. */
    enum In {
        PATH,
        QUERY,
        HEADER,
        COOKIE
    }

    /**
     * A parameter: its {@code name} on the wire, the {@code key} of its field in the input (the name,
     * unless that is taken by another parameter or {@code body}: then {@code <in>.<name>}), and how
     * arrays and objects are serialised ({@code style}, {@code explode}).
     */
    record Param(String key, String name, In in, boolean required, String style, boolean explode) {}

    /** The request body: the media type sent and whether the operation requires a body. */
    record Body(String contentType, boolean required) {}

    ConnectorDescriptor.Operation descriptor() {
        return new ConnectorDescriptor.Operation(name, description, inputSchema, outputSchema, false);
    }
}
