package dev.junction.connector.openapi;

import dev.junction.engine.connector.ConnectorException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an OpenAPI document's operations live: {@code servers[0].url} with its variables replaced by
 * their defaults, resolved against the document's own URL when relative (a missing {@code servers}
 * means {@code /}, as the specification says). Used only when the connection has no {@code baseUrl}.
 */
final class ServerUrl {
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    private ServerUrl() {}

    /**
     * The absolute http(s) base URL, without a trailing slash.
     *
     * @param documentUrl the absolute URL the document was fetched from, or null for an inline document
     * @throws ConnectorException {@code CONFIG_INVALID} when no absolute http(s) URL can be made
     */
    static String of(Map<String, Object> document, String documentUrl, String where) throws ConnectorException {
        String url = "/";
        Map<?, ?> variables = Map.of();
        String at = "servers";
        if (document.get("servers") instanceof List<?> servers && !servers.isEmpty()) {
            at = "servers[0].url";
            if (!(servers.getFirst() instanceof Map<?, ?> first) || !(first.get("url") instanceof String u)) {
                throw Refs.invalid("%s: servers[0] must be an object with a 'url'".formatted(where));
            }
            url = u;
            variables = first.get("variables") instanceof Map<?, ?> v ? v : Map.of();
        }
        String expanded = expand(url, variables, where);
        URI resolved;
        try {
            URI uri = URI.create(expanded);
            if (!uri.isAbsolute() && documentUrl == null) {
                throw Refs.invalid(("%s: %s is '%s', which is relative, and there is no documentUrl to resolve it"
                                + " against; set config.baseUrl to the API's address")
                        .formatted(where, at, url));
            }
            resolved = uri.isAbsolute() ? uri : URI.create(documentUrl).resolve(uri);
        } catch (IllegalArgumentException e) {
            throw Refs.invalid("%s: %s '%s' is not a URL: %s".formatted(where, at, expanded, e.getMessage()));
        }
        String scheme = String.valueOf(resolved.getScheme()).toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || resolved.getHost() == null) {
            throw Refs.invalid("%s: %s '%s' is not an http or https URL; set config.baseUrl to the API's address"
                    .formatted(where, at, resolved));
        }
        String text = resolved.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String expand(String url, Map<?, ?> variables, String where) throws ConnectorException {
        Matcher m = VARIABLE.matcher(url);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!(variables.get(name) instanceof Map<?, ?> v) || v.get("default") == null) {
                throw Refs.invalid("%s: servers[0].url '%s' uses {%s}, which has no default in servers[0].variables"
                        .formatted(where, url, name));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(v.get("default"))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
