package dev.junction.engine.connector;

import dev.junction.engine.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Encodes request bodies. The content type chooses the encoding: {@code application/x-www-form-urlencoded}
 * and {@code multipart/form-data} encode an object's fields; JSON types write JSON; anything else
 * sends text. Multipart fields may be files: {@code {filename, contentType, content}} or
 * {@code {filename, contentType, base64}}.
 */
public final class Bodies {
    private Bodies() {}

    /**
     * Encodes {@code value} for {@code contentType} (null: JSON for objects, arrays, numbers and booleans,
     * text for strings). Returns null for a null value.
     */
    public static OutboundHttp.Body encode(Object value, String contentType) throws ConnectorException {
        if (value == null) {
            return null;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return new OutboundHttp.Body(
                    contentType, form(fields(value, "form")).getBytes(StandardCharsets.UTF_8));
        }
        if (type.startsWith("multipart/form-data")) {
            return multipart(fields(value, "multipart"));
        }
        if (type.isEmpty()) {
            return value instanceof String s
                    ? new OutboundHttp.Body("text/plain; charset=utf-8", s.getBytes(StandardCharsets.UTF_8))
                    : new OutboundHttp.Body(
                            "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
        }
        if (type.contains("json") || !(value instanceof String)) {
            String text = value instanceof String s && type.contains("json") ? s : Json.write(value);
            return new OutboundHttp.Body(contentType, text.getBytes(StandardCharsets.UTF_8));
        }
        return new OutboundHttp.Body(contentType, ((String) value).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code a=1&b=two}, URL-encoded in UTF-8; list values repeat the name. */
    public static String form(Map<?, ?> fields) {
        StringJoiner out = new StringJoiner("&");
        fields.forEach((k, v) -> {
            for (Object one : v instanceof List<?> l ? l : List.of(v == null ? "" : v)) {
                out.add(encode(String.valueOf(k)) + "=" + encode(text(one)));
            }
        });
        return out.toString();
    }

    private static OutboundHttp.Body multipart(Map<?, ?> fields) throws ConnectorException {
        String boundary = "junction-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var e : fields.entrySet()) {
            String name = String.valueOf(e.getKey()).replace("\"", "%22");
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n");
            byte[] content;
            if (e.getValue() instanceof Map<?, ?> file && file.containsKey("filename")) {
                head.append("Content-Disposition: form-data; name=\"")
                        .append(name)
                        .append("\"; filename=\"")
                        .append(String.valueOf(file.get("filename")).replace("\"", "%22"))
                        .append("\"\r\n");
                head.append("Content-Type: ")
                        .append(file.get("contentType") == null ? "application/octet-stream" : file.get("contentType"))
                        .append("\r\n");
                content = fileContent(name, file);
            } else {
                head.append("Content-Disposition: form-data; name=\"")
                        .append(name)
                        .append("\"\r\n");
                content = text(e.getValue()).getBytes(StandardCharsets.UTF_8);
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new OutboundHttp.Body("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private static byte[] fileContent(String field, Map<?, ?> file) throws ConnectorException {
        if (file.get("base64") instanceof String b64) {
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new ConnectorException(
                        "INPUT_INVALID", "multipart field '%s': base64 is not valid".formatted(field), false);
            }
        }
        return text(file.get("content")).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<?, ?> fields(Object value, String what) throws ConnectorException {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new ConnectorException(
                "INPUT_INVALID",
                "a %s body must be an object of fields, not %s".formatted(what, Json.write(value)),
                false);
    }

    private static String text(Object v) {
        return v == null ? "" : v instanceof String s ? s : Json.write(v);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
