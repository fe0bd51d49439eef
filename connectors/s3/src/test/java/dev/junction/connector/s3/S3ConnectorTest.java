package dev.junction.connector.s3;

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
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The s3 connector against S3Mock, started once for the class as a child process on 127.0.0.1. */
class S3ConnectorTest {
    private static final CallContext CALL =
            new CallContext("run-1", "objects", "run-1:objects", Duration.ofSeconds(20));

    @TempDir
    static Path store;

    private static S3MockServer s3mock;

    @BeforeAll
    static void start() throws Exception {
        s3mock = new S3MockServer(store);
        // the bucket of the tests: made with the SDK, as an administrator would
        try (var admin = software.amazon.awssdk.services.s3.S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(java.net.URI.create(s3mock.endpoint()))
                .forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build()) {
            admin.createBucket(b -> b.bucket("files"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3mock != null) {
            s3mock.close();
        }
    }

    static Map<String, Object> config(Object... extra) {
        Map<String, Object> c = new HashMap<>(Map.of(
                "endpoint",
                s3mock.endpoint(),
                "bucket",
                "files",
                "pathStyle",
                true,
                "accessKeyId",
                "test",
                "timeoutSeconds",
                10));
        for (int i = 0; i < extra.length; i += 2) {
            c.put((String) extra[i], extra[i + 1]);
        }
        return c;
    }

    static ConnectorSession open(Map<String, Object> config, AddressPolicy policy) throws ConnectorException {
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
        return new S3Connector()
                .open(
                        new ConnectionConfig("default", "objects", config, Map.of("secretAccessKey", "test-secret")),
                        context);
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
    void putGetListAndDeleteObjects() throws Exception {
        try (ConnectorSession s = open(config(), AddressPolicy.allowingAll())) {
            assertThat(s.test().ok()).as(s.test().message()).isTrue();
            call(
                    s,
                    "put",
                    Map.of(
                            "key",
                            "docs/a.json",
                            "content",
                            "{\"n\": 1}",
                            "contentType",
                            "application/json",
                            "metadata",
                            Map.of("source", "erp")));
            byte[] binary = {0, 1, 2, (byte) 0xff};
            call(
                    s,
                    "put",
                    Map.of(
                            "key",
                            "docs/b.bin",
                            "content",
                            Base64.getEncoder().encodeToString(binary),
                            "encoding",
                            "base64"));
            call(s, "put", Map.of("key", "other/c.txt", "content", "c"));
            Map<String, Object> a = call(s, "get", Map.of("key", "docs/a.json"));
            assertThat(a)
                    .containsEntry("content", "{\"n\": 1}")
                    .containsEntry("contentType", "application/json")
                    .containsEntry("size", 8);
            assertThat(a.get("metadata")).isEqualTo(Map.of("source", "erp"));
            assertThat(call(s, "get", Map.of("key", "docs/b.bin", "encoding", "base64")))
                    .containsEntry("content", "AAEC/w==");
            Map<String, Object> page = call(s, "list", Map.of("prefix", "docs/", "limit", 1));
            assertThat(items(page)).extracting(i -> i.get("key")).containsExactly("docs/a.json");
            assertThat(page.get("continuation")).isNotNull();
            Map<String, Object> next =
                    call(s, "list", Map.of("prefix", "docs/", "limit", 1, "continuation", page.get("continuation")));
            assertThat(items(next)).extracting(i -> i.get("key")).containsExactly("docs/b.bin");
            assertThat(next.get("continuation")).isNull();
            assertThat(call(s, "list", Map.of("delimiter", "/")).get("prefixes"))
                    .isEqualTo(List.of("docs/", "other/"));
            assertThat(call(s, "delete", Map.of("key", "docs/a.json"))).containsEntry("deleted", true);
            assertThatThrownBy(() -> call(s, "get", Map.of("key", "docs/a.json")))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("NOT_FOUND");
                        assertThat(e.getMessage()).contains("s3://files/docs/a.json");
                    });
        }
    }

    @Test
    void newObjectsEmitsEachObjectOnceAndAnOverwrittenOneAgain() throws Exception {
        try (ConnectorSession s = open(config(), AddressPolicy.allowingAll())) {
            call(s, "put", Map.of("key", "feed/1.csv", "content", "1"));
            call(s, "put", Map.of("key", "feed/2.csv", "content", "22"));
            Map<String, Object> in = new HashMap<>(Map.of("prefix", "feed/"));
            Map<String, Object> first = call(s, "newObjects", in);
            assertThat(items(first))
                    .extracting(i -> i.get("key"))
                    .containsExactlyInAnyOrder("feed/1.csv", "feed/2.csv");
            in.put("cursor", first.get("cursor"));
            assertThat(items(call(s, "newObjects", in))).as("nothing twice").isEmpty();
            call(s, "put", Map.of("key", "feed/3.csv", "content", "333"));
            call(s, "put", Map.of("key", "feed/1.csv", "content", "1111"));
            Map<String, Object> second = call(s, "newObjects", in);
            assertThat(items(second))
                    .extracting(i -> i.get("key") + ":" + i.get("size"))
                    .containsExactlyInAnyOrder("feed/3.csv:3", "feed/1.csv:4");
            in.put("cursor", second.get("cursor"));
            assertThat(items(call(s, "newObjects", in))).isEmpty();
            call(s, "put", Map.of("key", "feed/4.csv", "content", "4"));
            call(s, "put", Map.of("key", "feed/5.csv", "content", "5"));
            in.put("limit", 1);
            Map<String, Object> paged = call(s, "newObjects", in);
            assertThat(items(paged)).hasSize(1);
            assertThat(paged).containsEntry("more", true);
            in.put("cursor", paged.get("cursor"));
            Map<String, Object> rest = call(s, "newObjects", in);
            assertThat(items(rest)).hasSize(1);
            assertThat(List.of(
                            items(paged).getFirst().get("key"),
                            items(rest).getFirst().get("key")))
                    .containsExactlyInAnyOrder("feed/4.csv", "feed/5.csv");
        }
    }

    @Test
    void aMissingBucketIsNotFound() throws Exception {
        try (ConnectorSession s = open(config("bucket", "no-such-bucket"), AddressPolicy.allowingAll())) {
            TestResult r = s.test();
            assertThat(r.code()).as(r.message()).isEqualTo("NOT_FOUND");
            assertThatThrownBy(() -> call(s, "list", Map.of())).isInstanceOfSatisfying(ConnectorException.class, e -> {
                assertThat(e.code()).isEqualTo("NOT_FOUND");
                assertThat(e.getMessage()).contains("NoSuchBucket").doesNotContain("test-secret");
            });
        }
    }

    @Test
    void anUnreachableStoreIsConnectionAndABlockedAddressIsRefused() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (ConnectorSession s = open(config("endpoint", "http://127.0.0.1:" + closed), AddressPolicy.allowingAll())) {
            assertThatThrownBy(() -> call(s, "get", Map.of("key", "x")))
                    .hasFieldOrPropertyWithValue("code", "CONNECTION");
        }
        try (ConnectorSession s = open(config(), AddressPolicy.blockingInternal(List.of()))) {
            assertThatThrownBy(() -> call(s, "put", Map.of("key", "x", "content", "y")))
                    .hasFieldOrPropertyWithValue("code", "ADDRESS_BLOCKED");
            assertThat(s.test().code()).isEqualTo("ADDRESS_BLOCKED");
        }
    }
}
