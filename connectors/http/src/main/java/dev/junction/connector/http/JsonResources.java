package dev.junction.connector.http;

import dev.junction.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON documents shipped as class path resources next to a class, such as descriptor schemas. */
public final class JsonResources {
    private JsonResources() {}

    /**
     * The JSON object in resource {@code name}, relative to {@code anchor}'s package.
     *
     * @throws IllegalStateException when it is missing or not a JSON object (a packaging error)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " next to " + anchor.getName() + " is missing");
            }
            Object value = Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalStateException("resource " + name + " is not a JSON object");
            }
            return (Map<String, Object>) value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
