package dev.junction.connector.http;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP / REST: one operation, {@code request}, with JSON, form, multipart and text bodies and
 * pagination by Link header, cursor field or page number. All traffic goes through the platform's
 * client ({@link ConnectorContext#http()}), which applies the base URL, authentication, address
 * policy and answer size limit. Schemas: {@code config.schema.json}, {@code
 * request.input.schema.json}, {@code request.output.schema.json} next to this class.
 */
public final class HttpConnector implements Connector {
    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "http",
            "HTTP / REST",
            "Any HTTP API: every method; JSON, form, multipart and text bodies; pagination helpers.",
            JsonResources.object(HttpConnector.class, "config.schema.json"),
            ConnectorDescriptor.HTTP_AUTH_TYPES,
            List.of(new ConnectorDescriptor.Operation(
                    "request",
                    "Sends one request, or follows pages when 'paginate' is given",
                    RequestOperation.INPUT_SCHEMA,
                    RequestOperation.OUTPUT_SCHEMA,
                    false)),
            List.of(),
            false);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        String baseUrl = httpUrl(config.config().get("baseUrl"), "baseUrl", true);
        return new HttpSession(
                baseUrl, headers(config.config().get("defaultHeaders")), config.text("testPath", "/"), context);
    }

    /**
     * {@code value} as an absolute http(s) URL, or null when absent and not {@code required}.
     *
     * @throws ConnectorException {@code CONFIG_INVALID} naming {@code field}
     */
    public static String httpUrl(Object value, String field, boolean required) throws ConnectorException {
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (required) {
                throw new ConnectorException("CONFIG_INVALID", "config." + field + " is required", false);
            }
            return null;
        }
        String text = String.valueOf(value).strip();
        try {
            URI uri = URI.create(text);
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return text;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConnectorException(
                "CONFIG_INVALID", "config.%s '%s' is not an absolute http or https URL".formatted(field, text), false);
    }

    /**
     * {@code defaultHeaders} as names to text values.
     *
     * @throws ConnectorException {@code CONFIG_INVALID} when it is not an object of text values
     */
    public static Map<String, String> headers(Object value) throws ConnectorException {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new ConnectorException(
                    "CONFIG_INVALID", "config.defaultHeaders must be an object of header name to value", false);
        }
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new ConnectorException(
                        "CONFIG_INVALID", "config.defaultHeaders.%s must be text".formatted(e.getKey()), false);
            }
            out.put(String.valueOf(e.getKey()), s);
        }
        return out;
    }
}
