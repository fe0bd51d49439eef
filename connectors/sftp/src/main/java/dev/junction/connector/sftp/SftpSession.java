package dev.junction.connector.sftp;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.connector.TestResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * One SSH client per connection, and one SSH session with one SFTP channel opened on first use and
 * reopened when the server dropped it. The server's host key must match the pinned fingerprint
 * (or {@code acceptAnyHostKey}). Thread-safe: the SFTP channel carries concurrent requests; opening
 * it is serialised.
 */
final class SftpSession implements ConnectorSession {
    private final SftpSettings settings;
    private final ConnectorContext context;
    private final List<KeyPair> keys;
    private final SshClient ssh;
    /** The fingerprint of the last host key this client refused, for the error message. */
    private volatile String refusedKey;

    private ClientSession session;
    private SftpClient sftp;

    SftpSession(SftpSettings settings, ConnectorContext context) throws ConnectorException {
        this.settings = settings;
        this.context = context;
        this.keys = keys(settings);
        this.ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((s, address, key) -> {
            String offered = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
            if (settings.acceptAnyHostKey() || sameFingerprint(offered, settings.hostKeyFingerprint())) {
                return true;
            }
            refusedKey = offered;
            return false;
        });
        ssh.start();
    }

    private static boolean sameFingerprint(String offered, String pinned) {
        return pinned != null && strip(offered).equals(strip(pinned));
    }

    private static String strip(String fingerprint) {
        return fingerprint.replaceAll("=+$", "");
    }

    private static List<KeyPair> keys(SftpSettings settings) throws ConnectorException {
        if (settings.privateKey() == null || settings.privateKey().isBlank()) {
            return List.of();
        }
        FilePasswordProvider passphrase = settings.passphrase() == null
                ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(settings.passphrase());
        List<KeyPair> found = new ArrayList<>();
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName("config.privateKey"),
                    new ByteArrayInputStream(settings.privateKey().strip().getBytes(StandardCharsets.UTF_8)),
                    passphrase);
            if (pairs != null) {
                pairs.forEach(found::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.privateKey cannot be read (expected a PEM or OpenSSH private key; a passphrase goes in"
                            + " config.privateKeyPassphrase): " + e.getClass().getSimpleName(),
                    false);
        }
        if (found.isEmpty()) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.privateKey holds no key; expected '-----BEGIN OPENSSH PRIVATE KEY-----' or a PEM key",
                    false);
        }
        return List.copyOf(found);
    }

    /** The SFTP channel, opened (after the address policy allowed the host) when there is none. */
    synchronized SftpClient client() throws ConnectorException {
        if (sftp != null && sftp.isOpen() && session != null && session.isOpen()) {
            return sftp;
        }
        drop();
        context.addresses().check(settings.host());
        String where = "connecting to %s:%d as %s".formatted(settings.host(), settings.port(), settings.username());
        refusedKey = null;
        ClientSession s = null;
        try {
            s = ssh.connect(settings.username(), settings.host(), settings.port())
                    .verify(settings.timeout())
                    .getSession();
            if (settings.password() != null && !settings.password().isEmpty()) {
                s.addPasswordIdentity(settings.password());
            }
            for (KeyPair k : keys) {
                s.addPublicKeyIdentity(k);
            }
            s.auth().verify(settings.timeout());
            sftp = SftpClientFactory.instance().createSftpClient(s);
            session = s;
            return sftp;
        } catch (IOException e) {
            closeQuietly(s);
            if (refusedKey != null) {
                throw hostKeyRejected(e);
            }
            throw SftpErrors.of(e, where);
        }
    }

    private ConnectorException hostKeyRejected(IOException e) {
        String where = "%s:%d".formatted(settings.host(), settings.port());
        String message = settings.hostKeyFingerprint() == null
                ? ("the server %s offered host key %s, and no config.hostKeyFingerprint is set; pin that fingerprint"
                                + " after checking it with the server's owner (or set acceptAnyHostKey: true, which"
                                + " allows a man in the middle)")
                        .formatted(where, refusedKey)
                : "the server %s offered host key %s, not the pinned config.hostKeyFingerprint %s"
                        .formatted(where, refusedKey, settings.hostKeyFingerprint());
        return SftpErrors.fail("HOST_KEY_REJECTED", message, false, e);
    }

    /** Forgets the channel, e.g. after the server dropped it; the next call reconnects. */
    private synchronized void drop() {
        closeQuietly(sftp);
        closeQuietly(session);
        sftp = null;
        session = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a connection that already failed: nothing left to do
        }
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        OperationInput in = OperationInput.of("sftp", operation, input);
        SftpFiles files = new SftpFiles(client(), context.clock());
        return switch (operation) {
            case "list" -> files.list(in);
            case "get" -> files.get(in);
            case "put" -> files.put(in);
            case "move" -> files.move(in);
            case "delete" -> files.delete(in);
            case "newFiles" -> files.newFiles(in);
            default ->
                throw new ConnectorException(
                        "OPERATION_NOT_FOUND",
                        "the sftp connector has no operation '%s'; it has list, get, put, move, delete and newFiles"
                                .formatted(operation),
                        false);
        };
    }

    @Override
    public TestResult test() {
        long start = System.nanoTime();
        try {
            String home = client().canonicalPath(".");
            return TestResult.ok(
                    Duration.ofNanos(System.nanoTime() - start),
                    "connected to %s:%d as %s; home directory %s"
                            .formatted(settings.host(), settings.port(), settings.username(), home));
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - start), e);
        } catch (IOException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - start), SftpErrors.of(e, "reading '.'"));
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return SftpConnector.DESCRIPTOR.operations();
    }

    @Override
    public void close() {
        drop();
        closeQuietly(ssh);
    }
}
