package dev.junction.connector.email;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * A connection's validated configuration: an SMTP server for {@code send} and, optionally, an IMAP
 * server for {@code newMessages}, sharing one login. {@code security} is {@code starttls} (upgrade a
 * plain connection, and refuse a server that cannot), {@code tls} (TLS from the first byte, ports 465
 * and 993) or {@code none}.
 */
record EmailSettings(
        String smtpHost,
        int smtpPort,
        Security smtpSecurity,
        String imapHost,
        int imapPort,
        Security imapSecurity,
        String username,
        String password,
        String from,
        Duration timeout) {

    enum Security {
        STARTTLS,
        TLS,
        NONE
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "EmailSettings[smtp=%s:%d, imap=%s:%d, user=%s]"
                .formatted(smtpHost, smtpPort, imapHost, imapPort, username);
    }

    static EmailSettings of(ConnectionConfig c) throws ConnectorException {
        String smtpHost = c.text("smtpHost", "").strip();
        String imapHost = c.text("imapHost", "").strip();
        if (smtpHost.isEmpty() && imapHost.isEmpty()) {
            throw invalid("set config.smtpHost (to send) and/or config.imapHost (to read new messages)");
        }
        Security smtpSecurity = security(c, "smtpSecurity", "starttls");
        Security imapSecurity = security(c, "imapSecurity", "tls");
        int smtpPort = port(c, "smtpPort", smtpSecurity == Security.TLS ? 465 : 587);
        int imapPort = port(c, "imapPort", imapSecurity == Security.TLS ? 993 : 143);
        Object timeout = c.config().getOrDefault("timeoutSeconds", 30);
        if (!(timeout instanceof Number t) || t.intValue() < 1 || t.intValue() > 600) {
            throw invalid("config.timeoutSeconds must be 1 to 600, not " + timeout);
        }
        String username = c.text("username", "").strip();
        String password = c.secrets().get("password");
        if (username.isEmpty() != (password == null || password.isEmpty())) {
            throw invalid("config.username and config.password go together: set both, or neither for a server"
                    + " that needs no login");
        }
        return new EmailSettings(
                smtpHost.isEmpty() ? null : smtpHost,
                smtpPort,
                smtpSecurity,
                imapHost.isEmpty() ? null : imapHost,
                imapPort,
                imapSecurity,
                username.isEmpty() ? null : username,
                password,
                c.text("from", "").strip(),
                Duration.ofSeconds(t.intValue()));
    }

    /** Jakarta Mail properties for SMTP ({@code protocol} "smtp") or IMAP ("imap"). */
    Properties properties() {
        Properties p = new Properties();
        put(p, "smtp", smtpHost, smtpPort, smtpSecurity);
        put(p, "imap", imapHost, imapPort, imapSecurity);
        p.put("mail.smtp.auth", String.valueOf(username != null));
        p.put("mail.imap.partialfetch", "false");
        return p;
    }

    private void put(Properties p, String protocol, String host, int port, Security security) {
        String prefix = "mail." + protocol + ".";
        if (host != null) {
            p.put(prefix + "host", host);
        }
        p.put(prefix + "port", String.valueOf(port));
        String millis = String.valueOf(timeout.toMillis());
        p.put(prefix + "connectiontimeout", millis);
        p.put(prefix + "timeout", millis);
        p.put(prefix + "writetimeout", millis);
        switch (security) {
            case STARTTLS -> {
                p.put(prefix + "starttls.enable", "true");
                p.put(prefix + "starttls.required", "true");
                p.put(prefix + "ssl.checkserveridentity", "true");
            }
            case TLS -> {
                p.put(prefix + "ssl.enable", "true");
                p.put(prefix + "ssl.checkserveridentity", "true");
            }
            case NONE -> {}
        }
    }

    private static Security security(ConnectionConfig c, String field, String fallback) throws ConnectorException {
        String v = c.text(field, fallback).strip().toUpperCase(Locale.ROOT);
        try {
            return Security.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw invalid("config.%s must be starttls, tls or none, not '%s'".formatted(field, c.text(field, "")));
        }
    }

    private static int port(ConnectionConfig c, String field, int fallback) throws ConnectorException {
        Object port = c.config().getOrDefault(field, fallback);
        if (!(port instanceof Number n) || n.intValue() < 1 || n.intValue() > 65535) {
            throw invalid("config.%s must be a port number, not %s".formatted(field, port));
        }
        return n.intValue();
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException("CONFIG_INVALID", message, false);
    }
}
