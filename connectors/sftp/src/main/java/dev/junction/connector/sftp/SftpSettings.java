package dev.junction.connector.sftp;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import java.time.Duration;

/**
 * A connection's validated configuration. Exactly one of {@code password} and {@code privateKey}
 * authenticates; {@code hostKeyFingerprint} ({@code SHA256:...}) pins the server's key, and without
 * it every key is refused unless {@code acceptAnyHostKey} is set.
 */
record SftpSettings(
        String host,
        int port,
        String username,
        String password,
        String privateKey,
        String passphrase,
        String hostKeyFingerprint,
        boolean acceptAnyHostKey,
        Duration timeout) {

    /** Never shows the secrets. */
    @Override
    public String toString() {
        return "SftpSettings[%s@%s:%d]".formatted(username, host, port);
    }

    static SftpSettings of(ConnectionConfig c) throws ConnectorException {
        String host = c.text("host", "").strip();
        if (host.isEmpty()) {
            throw invalid("config.host is required");
        }
        Object port = c.config().getOrDefault("port", 22);
        if (!(port instanceof Number p) || p.intValue() < 1 || p.intValue() > 65535) {
            throw invalid("config.port must be a port number, not " + port);
        }
        String username = c.text("username", "").strip();
        if (username.isEmpty()) {
            throw invalid("config.username is required");
        }
        String password = c.secrets().get("password");
        String key = c.secrets().get("privateKey");
        if ((password == null || password.isEmpty()) && (key == null || key.isBlank())) {
            throw invalid("set config.password or config.privateKey (PEM or OpenSSH format)");
        }
        String fingerprint = c.text("hostKeyFingerprint", "").strip();
        if (!fingerprint.isEmpty() && !fingerprint.startsWith("SHA256:")) {
            throw invalid("config.hostKeyFingerprint must look like SHA256:<base64>, as `ssh-keygen -lf` prints it,"
                    + " not '" + fingerprint + "'");
        }
        Object timeout = c.config().getOrDefault("timeoutSeconds", 20);
        if (!(timeout instanceof Number t) || t.intValue() < 1 || t.intValue() > 600) {
            throw invalid("config.timeoutSeconds must be 1 to 600, not " + timeout);
        }
        return new SftpSettings(
                host,
                p.intValue(),
                username,
                password,
                key,
                c.secrets().get("privateKeyPassphrase"),
                fingerprint.isEmpty() ? null : fingerprint,
                Boolean.TRUE.equals(c.config().get("acceptAnyHostKey")),
                Duration.ofSeconds(t.intValue()));
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException("CONFIG_INVALID", message, false);
    }
}
