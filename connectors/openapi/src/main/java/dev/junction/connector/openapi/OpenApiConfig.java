package dev.junction.connector.openapi;

import dev.junction.connector.http.HttpConnector;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import java.net.URI;
import java.util.Map;

/**
 * A validated OpenAPI connection configuration (schema: {@code config.schema.json}): the document
 * inline ({@code document}: text or object) or by URL ({@code documentUrl}), an optional {@code
 * baseUrl} that overrides the document's servers, and default headers. Exactly one of {@code
 * document} and {@code documentUrl} is set.
 */
record OpenApiConfig(Object document, String documentUrl, String baseUrl, Map<String, String> defaultHeaders) {
    OpenApiConfig {
        defaultHeaders = Map.copyOf(defaultHeaders);
    }

    static OpenApiConfig of(ConnectionConfig connection) throws ConnectorException {
        Map<String, Object> c = connection.config();
        Object document = c.get("document");
        Object url = c.get("documentUrl");
        if (document != null && url != null) {
            throw Refs.invalid("config.document and config.documentUrl are both set; give one of them");
        }
        if (document == null && (url == null || String.valueOf(url).isBlank())) {
            throw Refs.invalid("config.document (the OpenAPI document's text) or config.documentUrl is required");
        }
        if (document != null && !(document instanceof String) && !(document instanceof Map<?, ?>)) {
            throw Refs.invalid("config.document must be the document's JSON or YAML text, or its JSON object");
        }
        String baseUrl = HttpConnector.httpUrl(c.get("baseUrl"), "baseUrl", false);
        String documentUrl = url == null ? null : String.valueOf(url).strip();
        OpenApiConfig config =
                new OpenApiConfig(document, documentUrl, baseUrl, HttpConnector.headers(c.get("defaultHeaders")));
        config.absoluteDocumentUrl(); // refuses a relative documentUrl without a baseUrl now, not on first use
        return config;
    }

    /**
     * {@code documentUrl} made absolute (relative ones are resolved against {@code baseUrl}, as the
     * platform client resolves them); null for an inline document.
     */
    String absoluteDocumentUrl() throws ConnectorException {
        if (documentUrl == null) {
            return null;
        }
        try {
            URI uri = URI.create(documentUrl);
            if (uri.isAbsolute()) {
                return HttpConnector.httpUrl(documentUrl, "documentUrl", true);
            }
            if (baseUrl == null) {
                throw Refs.invalid("config.documentUrl '%s' is relative, so config.baseUrl is needed to resolve it"
                        .formatted(documentUrl));
            }
            URI base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
            return base.resolve(documentUrl.startsWith("/") ? documentUrl.substring(1) : documentUrl)
                    .toString();
        } catch (IllegalArgumentException e) {
            throw Refs.invalid("config.documentUrl '%s' is not a URL: %s".formatted(documentUrl, e.getMessage()));
        }
    }
}
