package dev.junction.server.api;

import dev.junction.engine.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Reads request bodies with a size limit, so an oversized body is refused before it is kept. */
public final class RequestBodies {
    private RequestBodies() {}

    public static String readText(HttpServletRequest request, long maxBytes) {
        return new String(read(request, maxBytes), StandardCharsets.UTF_8);
    }

    public static byte[] read(HttpServletRequest request, long maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(-1, maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST, "BODY_UNREADABLE", "the request body could not be read: " + e.getMessage());
        }
    }

    /**
     * The body as a JSON object (empty when the body is empty); {@code 400 BAD_REQUEST} when it is
     * not JSON or not an object.
     */
    public static Map<String, Object> jsonObject(HttpServletRequest request, long maxBytes) {
        String text = readText(request, maxBytes);
        if (text.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = Json.read(text);
        } catch (RuntimeException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "BAD_REQUEST", "the body is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "BAD_REQUEST", "the body must be a JSON object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static ApiProblem tooLarge(long declared, long max) {
        String size = declared >= 0 ? declared + " bytes" : "more than " + max + " bytes";
        return new ApiProblem(
                HttpStatus.CONTENT_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "the request body is %s; the limit is %d bytes (JUNCTION_MAX_BODY_BYTES)".formatted(size, max),
                Map.of("limit", max));
    }
}
