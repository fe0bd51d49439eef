package dev.junction.connector.sftp;

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
 * SFTP servers: {@code list}, {@code get}, {@code put} (atomic by default: temporary name, then
 * rename), {@code move}, {@code delete}, and the pollable {@code newFiles} feed for a {@code poll}
 * trigger. Password or private-key login; the server's host key is pinned by its SHA-256
 * fingerprint. Stateless; each connection's SSH session lives in its {@link SftpSession}.
 */
public final class SftpConnector implements Connector {
    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> PATH = Map.of("type", "string", "minLength", 1);
    private static final Map<String, Object> FLAG = Map.of("type", "boolean");
    private static final Map<String, Object> ENCODING =
            Map.of("type", "string", "enum", List.of("text", "base64"), "default", "text");
    private static final Map<String, Object> GLOB =
            Map.of("type", "string", "default", "*", "description", "file name pattern such as *.csv");

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "sftp",
            "SFTP",
            "Read, write, move and delete files on an SFTP server; poll a directory for new files.",
            object(
                    List.of("host", "username"),
                    Map.ofEntries(
                            entry("host", Map.of("type", "string", "minLength", 1)),
                            entry("port", Map.of("type", "integer", "minimum", 1, "maximum", 65535, "default", 22)),
                            entry("username", Map.of("type", "string", "minLength", 1)),
                            entry("password", Map.of("type", "string", "writeOnly", true)),
                            entry(
                                    "privateKey",
                                    Map.of(
                                            "type",
                                            "string",
                                            "writeOnly",
                                            true,
                                            "description",
                                            "PEM or OpenSSH private key (RSA, ECDSA)")),
                            entry("privateKeyPassphrase", Map.of("type", "string", "writeOnly", true)),
                            entry(
                                    "hostKeyFingerprint",
                                    Map.of(
                                            "type",
                                            "string",
                                            "pattern",
                                            "^SHA256:[A-Za-z0-9+/]+=*$",
                                            "description",
                                            "the server's host key as `ssh-keygen -lf` prints it")),
                            entry(
                                    "acceptAnyHostKey",
                                    Map.of(
                                            "type",
                                            "boolean",
                                            "default",
                                            false,
                                            "description",
                                            "trust any host key (allows a man in the middle)")),
                            entry(
                                    "timeoutSeconds",
                                    Map.of("type", "integer", "minimum", 1, "maximum", 600, "default", 20)))),
            List.of("none"),
            List.of(
                    new Operation(
                            "list",
                            "Lists a directory; answers {items: [{name, path, size, mtime, directory}]}",
                            object(List.of(), Map.of("path", Map.of("type", "string", "default", "."), "glob", GLOB)),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "get",
                            "Reads a file (at most 32 MiB); answers {path, size, mtime, encoding, content}",
                            object(List.of("path"), Map.of("path", PATH, "encoding", ENCODING)),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "put",
                            "Writes a file, atomically by default (temporary name, then rename); answers {path, size}",
                            object(
                                    List.of("path", "content"),
                                    Map.of(
                                            "path",
                                            PATH,
                                            "content",
                                            TEXT,
                                            "encoding",
                                            ENCODING,
                                            "mkdirs",
                                            FLAG,
                                            "atomic",
                                            Map.of("type", "boolean", "default", true),
                                            "overwrite",
                                            Map.of("type", "boolean", "default", true))),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "move",
                            "Renames or moves a file; answers {from, to}",
                            object(
                                    List.of("from", "to"),
                                    Map.of("from", PATH, "to", PATH, "overwrite", FLAG, "mkdirs", FLAG)),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "delete",
                            "Deletes a file or an empty directory; answers {path, deleted}",
                            object(List.of("path"), Map.of("path", PATH, "ignoreMissing", FLAG)),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "newFiles",
                            "New and changed files in a directory since the cursor; answers {items, cursor, more}",
                            object(
                                    List.of("directory"),
                                    Map.of(
                                            "directory",
                                            PATH,
                                            "glob",
                                            GLOB,
                                            "cursor",
                                            Map.of("description", "the previous answer's cursor; none: every file"),
                                            "limit",
                                            Map.of("type", "integer", "minimum", 1, "maximum", 10000, "default", 1000),
                                            "minAgeSeconds",
                                            Map.of("type", "integer", "minimum", 0, "default", 0),
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
        return new SftpSession(SftpSettings.of(config), context);
    }
}
