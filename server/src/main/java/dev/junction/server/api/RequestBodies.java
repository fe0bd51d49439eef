package dev.junction.server.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    private static ApiProblem tooLarge(long declared, long max) {
        String size = declared >= 0 ? declared + " bytes" : "more than " + max + " bytes";
        return new ApiProblem(
                HttpStatus.CONTENT_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "the request body is %s; the limit is %d bytes (JUNCTION_MAX_BODY_BYTES)".formatted(size, max),
                Map.of("limit", max));
    }
}
