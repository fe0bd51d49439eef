package dev.junction.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sftp connector against Apache MINA SSHD's SFTP server in this JVM, on 127.0.0.1. */
class SftpConnectorTest {
    private static final CallContext CALL = new CallContext("run-1", "files", "run-1:files", Duration.ofSeconds(20));

    @TempDir
    static Path root;

    private static SshServer server;
    private static KeyPair clientKey;
    private static String hostFingerprint;
    /** Armed by a test: the first write to a temporary file waits on it (a put caught half-way). */
    private static final AtomicReference<CountDownLatch[]> pauseWrite = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPair hostKey = ec.generateKeyPair();
        hostFingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        clientKey = rsa.generateKeyPair();
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void written(
                    ServerSession session,
                    String remoteHandle,
                    FileHandle local,
                    long offset,
                    byte[] data,
                    int dataOffset,
                    int dataLen,
                    Throwable thrown) {
                CountDownLatch[] latches = pauseWrite.get();
                if (latches != null
                        && local.getFile().getFileName().toString().endsWith(".part")
                        && pauseWrite.compareAndSet(latches, null)) {
                    latches[0].countDown();
                    try {
                        latches[1].await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, s) -> "alice".equals(user) && "s3cret".equals(password));
        server.setPublickeyAuthenticator(new KeySetPublickeyAuthenticator("test", List.of(clientKey.getPublic())));
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(true);
    }

    static Map<String, Object> config(Object... extra) {
        Map<String, Object> c = new HashMap<>(Map.of(
                "host",
                "127.0.0.1",
                "port",
                server.getPort(),
                "username",
                "alice",
                "hostKeyFingerprint",
                hostFingerprint));
        for (int i = 0; i < extra.length; i += 2) {
            c.put((String) extra[i], extra[i + 1]);
        }
        c.values().removeIf(v -> v == null);
        return c;
    }

    static ConnectorSession open(Map<String, Object> config, Map<String, String> secrets, AddressPolicy policy)
            throws ConnectorException {
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AddressPolicy addresses() {
                return policy;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return new SftpConnector().open(new ConnectionConfig("default", "files", config, secrets), context);
    }

    static ConnectorSession withPassword() throws ConnectorException {
        return open(config(), Map.of("password", "s3cret"), AddressPolicy.allowingAll());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> call(ConnectorSession s, String op, Map<String, Object> input) throws Exception {
        return (Map<String, Object>) s.invoke(op, input, CALL);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("items");
    }

    @Test
    void putGetListMoveAndDeleteWorkOnTheServer() throws Exception {
        try (ConnectorSession s = withPassword()) {
            assertThat(call(s, "put", Map.of("path", "/ops/in/a.txt", "content", "héllo", "mkdirs", true)))
                    .containsEntry("size", 6);
            assertThat(Files.readString(root.resolve("ops/in/a.txt"))).isEqualTo("héllo");
            byte[] binary = {0, 1, 2, (byte) 0xff};
            call(
                    s,
                    "put",
                    Map.of(
                            "path",
                            "/ops/in/b.bin",
                            "content",
                            Base64.getEncoder().encodeToString(binary),
                            "encoding",
                            "base64"));
            assertThat(Files.readAllBytes(root.resolve("ops/in/b.bin"))).isEqualTo(binary);
            assertThat(call(s, "get", Map.of("path", "/ops/in/a.txt"))).containsEntry("content", "héllo");
            assertThat(call(s, "get", Map.of("path", "/ops/in/b.bin", "encoding", "base64")))
                    .containsEntry("content", "AAEC/w==");
            assertThat(items(call(s, "list", Map.of("path", "/ops/in", "glob", "*.txt"))))
                    .extracting(i -> i.get("name"))
                    .containsExactly("a.txt");
            assertThat(items(call(s, "list", Map.of("path", "/ops/in"))))
                    .extracting(i -> i.get("path"))
                    .containsExactly("/ops/in/a.txt", "/ops/in/b.bin");
            call(s, "put", Map.of("path", "/ops/in/a.txt", "content", "replaced"));
            assertThat(Files.readString(root.resolve("ops/in/a.txt"))).isEqualTo("replaced");
            assertThat(Files.list(root.resolve("ops/in"))
                            .map(p -> p.getFileName().toString()))
                    .as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("a.txt", "b.bin");
            assertThatThrownBy(
                            () -> call(s, "put", Map.of("path", "/ops/in/a.txt", "content", "x", "overwrite", false)))
                    .hasFieldOrPropertyWithValue("code", "ALREADY_EXISTS");
            call(s, "move", Map.of("from", "/ops/in/a.txt", "to", "/ops/done/a.txt", "mkdirs", true));
            assertThat(root.resolve("ops/in/a.txt")).doesNotExist();
            assertThat(Files.readString(root.resolve("ops/done/a.txt"))).isEqualTo("replaced");
            call(s, "move", Map.of("from", "/ops/in/b.bin", "to", "/ops/done/a.txt", "overwrite", true));
            assertThat(Files.readAllBytes(root.resolve("ops/done/a.txt"))).isEqualTo(binary);
            assertThat(call(s, "delete", Map.of("path", "/ops/done/a.txt"))).containsEntry("deleted", true);
            assertThat(root.resolve("ops/done/a.txt")).doesNotExist();
            assertThat(call(s, "delete", Map.of("path", "/ops/done/a.txt", "ignoreMissing", true)))
                    .containsEntry("deleted", false);
        }
    }

    @Test
    void aMissingPathIsNotFoundNamingThePath() throws Exception {
        try (ConnectorSession s = withPassword()) {
            for (String op : List.of("get", "delete")) {
                assertThatThrownBy(() -> call(s, op, Map.of("path", "/nowhere/x.csv")))
                        .isInstanceOfSatisfying(ConnectorException.class, e -> {
                            assertThat(e.code()).isEqualTo("NOT_FOUND");
                            assertThat(e.getMessage()).contains("/nowhere/x.csv");
                        });
            }
            assertThatThrownBy(() -> call(s, "list", Map.of("path", "/nowhere")))
                    .hasFieldOrPropertyWithValue("code", "NOT_FOUND");
            assertThatThrownBy(() -> call(s, "move", Map.of("from", "/nowhere/a", "to", "/b")))
                    .hasFieldOrPropertyWithValue("code", "NOT_FOUND");
        }
    }

    @Test
    void logsInWithAnOpenSshPrivateKey() throws Exception {
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "test", null, pem);
        try (ConnectorSession s = open(
                config(), Map.of("privateKey", pem.toString(StandardCharsets.US_ASCII)), AddressPolicy.allowingAll())) {
            TestResult r = s.test();
            assertThat(r.ok()).as(r.message()).isTrue();
        }
    }

    @Test
    void logsInWithAPemPrivateKey() throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(clientKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        try (ConnectorSession s = open(config(), Map.of("privateKey", pem), AddressPolicy.allowingAll())) {
            assertThat(call(s, "list", Map.of("path", "/"))).containsKey("items");
        }
    }

    @Test
    void anUnreadablePrivateKeyIsAConfigErrorAtOpen() {
        assertThatThrownBy(() -> open(
                        config(),
                        Map.of(
                                "privateKey",
                                "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----"),
                        AddressPolicy.allowingAll()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("CONFIG_INVALID");
                    assertThat(e.getMessage()).contains("config.privateKey").doesNotContain("not a key");
                });
        assertThatThrownBy(() -> open(config(), Map.of(), AddressPolicy.allowingAll()))
                .hasFieldOrPropertyWithValue("code", "CONFIG_INVALID");
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        String other = KeyUtils.getFingerPrint(
                BuiltinDigests.sha256, ec.generateKeyPair().getPublic());
        try (ConnectorSession s =
                open(config("hostKeyFingerprint", other), Map.of("password", "s3cret"), AddressPolicy.allowingAll())) {
            TestResult r = s.test();
            assertThat(r.ok()).isFalse();
            assertThat(r.code()).isEqualTo("HOST_KEY_REJECTED");
            assertThat(r.message()).contains(hostFingerprint).contains(other);
        }
        try (ConnectorSession s =
                open(config("hostKeyFingerprint", null), Map.of("password", "s3cret"), AddressPolicy.allowingAll())) {
            assertThatThrownBy(() -> call(s, "list", Map.of("path", "/")))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("HOST_KEY_REJECTED");
                        assertThat(e.getMessage()).contains(hostFingerprint).contains("acceptAnyHostKey");
                    });
        }
        try (ConnectorSession s = open(
                config("hostKeyFingerprint", null, "acceptAnyHostKey", true),
                Map.of("password", "s3cret"),
                AddressPolicy.allowingAll())) {
            assertThat(s.test().ok()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsAuthFailedWithoutTheSecret() throws Exception {
        try (ConnectorSession s = open(config(), Map.of("password", "wrong-pw"), AddressPolicy.allowingAll())) {
            TestResult r = s.test();
            assertThat(r.code()).as(r.message()).isEqualTo("AUTH_FAILED");
            assertThat(r.message()).doesNotContain("wrong-pw");
        }
    }

    @Test
    void anUnreachableServerIsConnectionAndABlockedAddressIsRefused() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (ConnectorSession s =
                open(config("port", closed), Map.of("password", "s3cret"), AddressPolicy.allowingAll())) {
            assertThat(s.test().code()).isEqualTo("CONNECTION");
        }
        try (ConnectorSession s =
                open(config(), Map.of("password", "s3cret"), AddressPolicy.blockingInternal(List.of()))) {
            assertThatThrownBy(() -> call(s, "list", Map.of("path", "/")))
                    .hasFieldOrPropertyWithValue("code", "ADDRESS_BLOCKED");
        }
    }

    @Test
    void newFilesEmitsEachFileOnceAndARewrittenFileAgain() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("feed"));
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        write(inbox.resolve("a.csv"), "1", t0);
        write(inbox.resolve("b.csv"), "22", t0);
        write(inbox.resolve("skip.txt"), "x", t0);
        try (ConnectorSession s = withPassword()) {
            Map<String, Object> in = new HashMap<>(Map.of("directory", "/feed", "glob", "*.csv"));
            Map<String, Object> first = call(s, "newFiles", in);
            assertThat(items(first)).extracting(i -> i.get("name")).containsExactly("a.csv", "b.csv");
            in.put("cursor", first.get("cursor"));
            assertThat(items(call(s, "newFiles", in))).as("nothing new").isEmpty();
            write(inbox.resolve("c.csv"), "333", t0.minusSeconds(60)); // arrives late with an older mtime
            write(inbox.resolve("a.csv"), "1111", t0.plusSeconds(5)); // rewritten
            Map<String, Object> second = call(s, "newFiles", in);
            assertThat(items(second))
                    .extracting(i -> i.get("name") + ":" + i.get("size"))
                    .containsExactly("c.csv:3", "a.csv:4");
            in.put("cursor", second.get("cursor"));
            assertThat(items(call(s, "newFiles", in))).isEmpty();
            in.put("limit", 1);
            write(inbox.resolve("d.csv"), "4", t0.plusSeconds(10));
            write(inbox.resolve("e.csv"), "5", t0.plusSeconds(10));
            Map<String, Object> paged = call(s, "newFiles", in);
            assertThat(items(paged)).extracting(i -> i.get("name")).containsExactly("d.csv");
            assertThat(paged).containsEntry("more", true);
            in.put("cursor", paged.get("cursor"));
            assertThat(items(call(s, "newFiles", in)))
                    .extracting(i -> i.get("name"))
                    .containsExactly("e.csv");
        }
    }

    @Test
    void newFilesNeverSeesAnAtomicPutHalfWritten() throws Exception {
        Files.createDirectories(root.resolve("drop"));
        byte[] big = new byte[256 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ConnectorSession writer = withPassword();
                ConnectorSession poller = withPassword()) {
            pauseWrite.set(new CountDownLatch[] {started, release});
            CompletableFuture<Map<String, Object>> put = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(
                            writer,
                            "put",
                            Map.of("path", "/drop/big.dat", "content", new String(big, StandardCharsets.US_ASCII)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(started.await(20, TimeUnit.SECONDS))
                    .as("the put began writing")
                    .isTrue();
            assertThat(Files.list(root.resolve("drop")).map(p -> p.getFileName().toString()))
                    .as("the bytes go to a temporary name first")
                    .singleElement()
                    .satisfies(n -> assertThat(n).startsWith(".big.dat.").endsWith(".part"));
            Map<String, Object> during = call(poller, "newFiles", Map.of("directory", "/drop"));
            assertThat(items(during)).as("a file being written is not new yet").isEmpty();
            release.countDown();
            assertThat(put.get(20, TimeUnit.SECONDS)).containsEntry("size", big.length);
            Map<String, Object> after =
                    call(poller, "newFiles", Map.of("directory", "/drop", "cursor", during.get("cursor")));
            assertThat(items(after)).singleElement().satisfies(i -> {
                assertThat(i).containsEntry("name", "big.dat");
                assertThat(i).containsEntry("size", (long) big.length);
            });
        } finally {
            release.countDown();
            pauseWrite.set(null);
        }
    }

    private static void write(Path file, String content, Instant mtime) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(mtime));
    }
}
