package dev.junction.connector.s3;

import static java.util.Map.entry;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorDescriptor.Operation;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * Amazon S3 and S3-compatible stores (MinIO, Ceph, S3Mock, ...): {@code get}, {@code put},
 * {@code list}, {@code delete} on one bucket, and the pollable {@code newObjects} feed for a
 * {@code poll} trigger. Stateless; each connection's client lives in its {@link S3Session}.
 */
public final class S3Connector implements Connector {
    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> KEY = Map.of("type", "string", "minLength", 1);
    private static final Map<String, Object> ENCODING =
            Map.of("type", "string", "enum", List.of("text", "base64"), "default", "text");

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "s3",
            "S3-compatible storage",
            "Read, write, list and delete objects in an S3 bucket (AWS, MinIO, ...); poll a prefix for new objects.",
            object(
                    List.of("bucket"),
                    Map.ofEntries(
                            entry("bucket", Map.of("type", "string", "minLength", 3, "maxLength", 63)),
                            entry("region", Map.of("type", "string", "default", "us-east-1")),
                            entry(
                                    "endpoint",
                                    Map.of(
                                            "type",
                                            "string",
                                            "description",
                                            "URL of an S3-compatible store; none: AWS")),
                            entry(
                                    "pathStyle",
                                    Map.of(
                                            "type",
                                            "boolean",
                                            "default",
                                            false,
                                            "description",
                                            "bucket in the path, as MinIO and most S3-compatible stores need")),
                            entry("accessKeyId", TEXT),
                            entry("secretAccessKey", Map.of("type", "string", "writeOnly", true)),
                            entry(
                                    "timeoutSeconds",
                                    Map.of("type", "integer", "minimum", 1, "maximum", 600, "default", 30)))),
            List.of("none"),
            List.of(
                    new Operation(
                            "get",
                            "Reads an object (at most 32 MiB); answers {key, size, contentType, etag, lastModified,"
                                    + " metadata, encoding, content}",
                            object(List.of("key"), Map.of("key", KEY, "encoding", ENCODING)),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "put",
                            "Writes an object; answers {key, size, etag}",
                            object(
                                    List.of("key", "content"),
                                    Map.of(
                                            "key",
                                            KEY,
                                            "content",
                                            TEXT,
                                            "encoding",
                                            ENCODING,
                                            "contentType",
                                            TEXT,
                                            "metadata",
                                            Map.of("type", "object", "additionalProperties", TEXT))),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "list",
                            "Lists one page of objects; answers {items: [{key, size, etag, lastModified}], prefixes,"
                                    + " continuation}",
                            object(
                                    List.of(),
                                    Map.of(
                                            "prefix",
                                            TEXT,
                                            "delimiter",
                                            TEXT,
                                            "continuation",
                                            Map.of("type", "string", "description", "the previous page's continuation"),
                                            "limit",
                                            Map.of("type", "integer", "minimum", 1, "maximum", 1000, "default", 1000))),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "delete",
                            "Deletes an object (a missing key is not an error in S3); answers {key, deleted}",
                            object(List.of("key"), Map.of("key", KEY)),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "newObjects",
                            "New and overwritten objects under a prefix since the cursor; answers {items, cursor, more}",
                            object(
                                    List.of(),
                                    Map.of(
                                            "prefix",
                                            TEXT,
                                            "cursor",
                                            Map.of("description", "the previous answer's cursor; none: every object"),
                                            "limit",
                                            Map.of("type", "integer", "minimum", 1, "maximum", 10000, "default", 1000),
                                            "overlapSeconds",
                                            Map.of("type", "integer", "minimum", 0, "default", 600))),
                            Map.of("type", "object"),
                            true)),
            List.of("poll"),
            false);

    private static Map<String, Object> object(List<String> required, Map<String, Object> properties) {
        return Map.of("type", "object", "required", required, "additionalProperties", false, "properties", properties);
    }

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new S3Session(S3Settings.of(config), context);
    }
}
