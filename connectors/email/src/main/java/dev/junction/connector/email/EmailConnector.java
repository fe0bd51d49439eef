package dev.junction.connector.email;

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
 * Email: {@code send} over SMTP (to/cc/bcc, text and/or HTML, attachments, Reply-To, custom
 * headers) and the pollable {@code newMessages} feed over IMAP for a {@code poll} trigger. Bodies
 * are plain input: a flow renders its {@code {{ }}} templates into the step input before the call,
 * so a templated mail needs no template engine here. Stateless; see {@link EmailSession}.
 */
public final class EmailConnector implements Connector {
    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> SECURITY =
            Map.of("type", "string", "enum", List.of("starttls", "tls", "none"));
    private static final Map<String, Object> ADDRESSES = Map.of(
            "description",
            "an address ('Ops <ops@example.com>') or a list of them",
            "oneOf",
            List.of(TEXT, Map.of("type", "array", "items", TEXT)));

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "email",
            "Email (SMTP, IMAP)",
            "Send mail over SMTP with HTML and attachments; poll an IMAP folder for new messages.",
            Map.of(
                    "type",
                    "object",
                    "additionalProperties",
                    false,
                    "properties",
                    Map.ofEntries(
                            entry("smtpHost", TEXT),
                            entry(
                                    "smtpPort",
                                    Map.of(
                                            "type",
                                            "integer",
                                            "minimum",
                                            1,
                                            "maximum",
                                            65535,
                                            "description",
                                            "default 587, or 465 with tls")),
                            entry("smtpSecurity", withDefault(SECURITY, "starttls")),
                            entry("imapHost", TEXT),
                            entry(
                                    "imapPort",
                                    Map.of(
                                            "type",
                                            "integer",
                                            "minimum",
                                            1,
                                            "maximum",
                                            65535,
                                            "description",
                                            "default 993 with tls, else 143")),
                            entry("imapSecurity", withDefault(SECURITY, "tls")),
                            entry("username", TEXT),
                            entry("password", Map.of("type", "string", "writeOnly", true)),
                            entry("from", Map.of("type", "string", "description", "default sender address")),
                            entry(
                                    "timeoutSeconds",
                                    Map.of("type", "integer", "minimum", 1, "maximum", 600, "default", 30)))),
            List.of("none"),
            List.of(
                    new Operation(
                            "send",
                            "Sends one message; answers {messageId, accepted}",
                            Map.of(
                                    "type",
                                    "object",
                                    "additionalProperties",
                                    false,
                                    "properties",
                                    Map.ofEntries(
                                            entry("to", ADDRESSES),
                                            entry("cc", ADDRESSES),
                                            entry("bcc", ADDRESSES),
                                            entry("from", TEXT),
                                            entry("replyTo", ADDRESSES),
                                            entry("subject", TEXT),
                                            entry("text", TEXT),
                                            entry("html", TEXT),
                                            entry("headers", Map.of("type", "object", "additionalProperties", TEXT)),
                                            entry(
                                                    "attachments",
                                                    Map.of(
                                                            "type",
                                                            "array",
                                                            "items",
                                                            Map.of(
                                                                    "type",
                                                                    "object",
                                                                    "required",
                                                                    List.of("filename"),
                                                                    "properties",
                                                                    Map.of(
                                                                            "filename", TEXT,
                                                                            "contentType", TEXT,
                                                                            "content",
                                                                                    Map.of(
                                                                                            "type",
                                                                                            "string",
                                                                                            "description",
                                                                                            "base64"),
                                                                            "text", TEXT)))))),
                            Map.of("type", "object"),
                            false),
                    new Operation(
                            "newMessages",
                            "Messages of an IMAP folder above the cursor's UID, oldest first; answers {items, cursor, more}",
                            Map.of(
                                    "type",
                                    "object",
                                    "additionalProperties",
                                    false,
                                    "properties",
                                    Map.of(
                                            "folder", Map.of("type", "string", "default", "INBOX"),
                                            "cursor",
                                                    Map.of(
                                                            "description",
                                                            "{uidValidity, lastUid} of the previous answer"),
                                            "limit",
                                                    Map.of(
                                                            "type", "integer", "minimum", 1, "maximum", 1000, "default",
                                                            100),
                                            "from",
                                                    Map.of(
                                                            "type",
                                                            "string",
                                                            "enum",
                                                            List.of("start", "now"),
                                                            "default",
                                                            "start"))),
                            Map.of("type", "object"),
                            true)),
            List.of("poll"),
            false);

    private static Map<String, Object> withDefault(Map<String, Object> schema, String value) {
        Map<String, Object> m = new java.util.HashMap<>(schema);
        m.put("default", value);
        return Map.copyOf(m);
    }

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new EmailSession(EmailSettings.of(config), context);
    }
}
