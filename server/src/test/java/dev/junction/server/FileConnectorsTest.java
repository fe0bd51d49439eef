package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.junction.engine.flow.FlowParser;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.json.Json;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file connectors through the REST API: an SFTP connection (an in-process SSHD server) made with
 * its password as a write-only secret, a flow whose poll trigger runs {@code newFiles} every second,
 * files dropped into the watched directory, and a {@code call} step that mails each file's content
 * through GreenMail. One run per file, one more for a rewritten file, none twice.
 */
class FileConnectorsTest {
    @TempDir
    static Path root;

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("junction@example.com", "junction", "mail-pw"))
            .withPerMethodLifecycle(false);

    private static SshServer sftp;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPair hostKey = ec.generateKeyPair();
        sftp = SshServer.setUpDefaultServer();
        sftp.setHost("127.0.0.1");
        sftp.setPort(0);
        sftp.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sftp.setPasswordAuthenticator((user, password, s) -> "partner".equals(user) && "sftp-pw".equals(password));
        sftp.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sftp.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sftp.start();
        Files.createDirectories(root.resolve("inbox"));
        server = new TestServer(Map.of());
        connection(Map.of(
                "id",
                "partner-sftp",
                "connector",
                "sftp",
                "config",
                Map.of(
                        "host", "127.0.0.1",
                        "port", sftp.getPort(),
                        "username", "partner",
                        "password", "sftp-pw",
                        "hostKeyFingerprint", KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic())),
                "activate",
                true));
        connection(Map.of(
                "id",
                "mail",
                "connector",
                "email",
                "config",
                Map.of(
                        "smtpHost", "127.0.0.1",
                        "smtpPort", mail.getSmtp().getPort(),
                        "smtpSecurity", "none",
                        "username", "junction",
                        "password", "mail-pw",
                        "from", "junction@example.com"),
                "activate",
                true));
    }

    private static void connection(Map<String, Object> body) throws Exception {
        HttpResponse<String> r = server.api("POST", "/api/v1/connections", "application/json", Json.write(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).as("a write-only secret is never answered").doesNotContain("sftp-pw", "mail-pw");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        sftp.stop(true);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(String flow) throws Exception {
        Map<String, Object> page =
                TestServer.json(server.api("GET", "/api/v1/runs?flow=" + flow + "&limit=500", null, null));
        return (List<Map<String, Object>>) page.get("items");
    }

    /** Writes a file the way careful uploaders do: a hidden temporary name, then a rename. */
    private static void drop(String name, String content) throws Exception {
        Path temp = root.resolve("inbox/." + name + ".part");
        Files.writeString(temp, content);
        Files.move(
                temp,
                root.resolve("inbox/" + name),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void everyDroppedFileStartsOneRunThatMailsItsContent() throws Exception {
        HttpResponse<String> flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: partner-drops
                trigger:
                  type: poll
                  connection: partner-sftp
                  operation: newFiles
                  input: { directory: /inbox, glob: "*.csv" }
                  every: 1s
                steps:
                  - id: read
                    type: call
                    connection: partner-sftp
                    operation: get
                    input: { path: "{{ trigger.body.path }}" }
                  - id: notify
                    type: call
                    connection: mail
                    operation: send
                    input:
                      to: ops@example.com
                      subject: "New file {{ trigger.body.name }}"
                      text: "{{ steps.read.output.content }}"
                """);
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        drop("a.csv", "id;qty\n1;5\n");
        drop("b.csv", "id;qty\n2;7\n");
        drop("c.csv", "id;qty\n3;9\n");
        drop("ignored.txt", "not a csv");
        awaitRuns("partner-drops", 3);
        drop("a.csv", "id;qty\n1;5\n1;6\n"); // rewritten: a new file for the feed
        awaitRuns("partner-drops", 4);

        Map<String, Object> view = TestServer.json(server.api("GET", "/api/v1/flows/partner-drops", null, null));
        assertThat((Map<String, Object>) view.get("poll"))
                .as("four files emitted by the feed, none twice")
                .containsEntry("status", "ok")
                .containsEntry("items", 4);
        assertThat(runs("partner-drops")).hasSize(4);
        assertThat(mail.waitForIncomingEmail(10_000, 4)).isTrue();
        Map<String, String> mailed = new HashMap<>();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            subjects.add(m.getSubject());
            // SMTP carries lines as CRLF, and the last line break merges into the end-of-data mark
            mailed.put(
                    m.getSubject(),
                    String.valueOf(m.getContent()).replace("\r\n", "\n").strip());
        }
        assertThat(subjects)
                .containsExactlyInAnyOrder("New file a.csv", "New file a.csv", "New file b.csv", "New file c.csv");
        assertThat(mailed).containsEntry("New file b.csv", "id;qty\n2;7");
        assertThat(mail.getReceivedMessages()[0].getAllRecipients()[0].toString())
                .isEqualTo("ops@example.com");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCatalogOffersEachConnectorWithItsPollableFeed() throws Exception {
        Map<String, String> feeds = Map.of("sftp", "newFiles", "email", "newMessages", "s3", "newObjects");
        for (var feed : feeds.entrySet()) {
            HttpResponse<String> r = server.api("GET", "/api/v1/connectors/" + feed.getKey(), null, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<Map<String, Object>> operations =
                    (List<Map<String, Object>>) TestServer.json(r).get("operations");
            assertThat(operations)
                    .filteredOn(o -> Boolean.TRUE.equals(o.get("pollable")))
                    .extracting(o -> o.get("name"))
                    .as(feed.getKey())
                    .containsExactly(feed.getValue());
        }
    }

    @Test
    void theDocumentedExamplesAreValidFlows() throws Exception {
        for (String example : List.of("sftp-partner-drops.yaml", "email-support-inbox.yaml", "s3-new-invoices.yaml")) {
            String yaml = Files.readString(Path.of("../docs/examples", example));
            assertThat(new FlowParser().parse(yaml, SourceFormat.YAML).trigger())
                    .as(example)
                    .isInstanceOf(Trigger.Poll.class);
        }
    }

    private static void awaitRuns(String flow, int count) {
        await("%d succeeded runs of %s".formatted(count, flow))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> runs(flow).stream()
                                .filter(r -> "SUCCEEDED".equals(r.get("status")))
                                .count()
                        >= count);
    }
}
