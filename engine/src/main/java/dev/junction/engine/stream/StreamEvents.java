package dev.junction.engine.stream;

import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a broker message into a run's trigger event: {@code {body, headers, meta}}. The body is
 * JSON when the message says so ({@code content-type} with {@code json}) or looks like it (starts
 * with <code>{</code> or {@code [}), otherwise UTF-8 text. A message that claims or looks like JSON
 * but does not parse, or is not text at all, is poison: its event is {@code {rejected: {code:
 * PAYLOAD_INVALID, message}, raw: <base64 of the bytes>, headers, meta}}, so the dead letter keeps
 * exactly what arrived.
 */
final class StreamEvents {
    static final String PAYLOAD_INVALID = "PAYLOAD_INVALID";

    private StreamEvents() {}

    /** The event, and whether it is poison. */
    record Event(Map<String, Object> payload, String rejectedBecause) {}

    static Event of(StreamSource.Message m) {
        Map<String, Object> event = new LinkedHashMap<>();
        String why;
        String text = null;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(m.payload()))
                    .toString();
            why = null;
        } catch (CharacterCodingException e) {
            why = "the message is not UTF-8 text (%d bytes)".formatted(m.payload().length);
        }
        if (text != null) {
            String trimmed = text.strip();
            boolean json = String.valueOf(header(m, "content-type"))
                            .toLowerCase(Locale.ROOT)
                            .contains("json")
                    || trimmed.startsWith("{")
                    || trimmed.startsWith("[");
            if (!json) {
                event.put("body", text);
            } else {
                try {
                    event.put("body", trimmed.isEmpty() ? null : Json.read(trimmed));
                } catch (RuntimeException e) {
                    why = "the message is not valid JSON: " + firstLine(e.getMessage());
                }
            }
        }
        if (why != null) {
            event.put(FlowEngine.REJECTED, Map.of("code", PAYLOAD_INVALID, "message", why));
            event.put("raw", Base64.getEncoder().encodeToString(m.payload()));
        }
        event.put("headers", m.headers());
        event.put("meta", m.meta());
        return new Event(event, why);
    }

    private static String header(StreamSource.Message m, String name) {
        for (var e : m.headers().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
