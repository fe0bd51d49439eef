package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream trigger on a queue of the machine's RabbitMQ through the connections API: every message
 * one run, a poison message a dead letter with its bytes, the consumer's status on the flow, and a
 * flow published to by another flow's {@code publish} call.
 */
class StreamTriggerTest {
    private static final String QUEUE =
            "jct-stream-" + UUID.randomUUID().toString().substring(0, 8);
    private static TestServer server;
    private static Connection admin;
    private static Channel channel;

    @BeforeAll
    static void start() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        admin = f.newConnection("stream-test");
        channel = admin.createChannel();
        channel.queueDeclare(QUEUE, true, false, false, null);
        server = new TestServer(Map.of());
        var created = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        "rabbit",
                        "connector",
                        "amqp",
                        "config",
                        Map.of("host", "127.0.0.1", "password", "guest"),
                        "activate",
                        true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        channel.queueDelete(QUEUE);
        admin.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(String flow) throws Exception {
        return (List<Map<String, Object>>)
                TestServer.json(server.api("GET", "/api/v1/runs?flow=" + flow + "&limit=500", null, null))
                        .get("items");
    }

    @Test
    void messagesStartRunsAndAPoisonMessageIsADeadLetter() throws Exception {
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: queued-orders
                trigger: { type: stream, connection: rabbit, source: %s }
                steps:
                  - { id: total, type: map, expression: "trigger.body.qty * trigger.body.price" }
                """.formatted(QUEUE));
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        var publisher = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: publish-orders
                trigger: { type: manual }
                steps:
                  - id: send
                    type: foreach
                    items: "[1, 2, 3]"
                    steps:
                      - id: publish
                        type: call
                        connection: rabbit
                        operation: publish
                        input:
                          routingKey: %s
                          messageId: "{{ 'order-' & item }}"
                          body: "{{ { 'qty': item, 'price': 10 } }}"
                """.formatted(QUEUE));
        assertThat(publisher.statusCode()).as(publisher.body()).isEqualTo(201);
        var started =
                TestServer.json(server.api("POST", "/api/v1/flows/publish-orders/runs", "application/json", "{}"));
        assertThat(server.awaitFinished(String.valueOf(started.get("runId"))).get("status"))
                .isEqualTo("SUCCEEDED");
        channel.basicPublish(
                "",
                QUEUE,
                new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .build(),
                "{\"qty\": ".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> runs("queued-orders").stream()
                                .filter(r -> !"RUNNING".equals(r.get("status")))
                                .count()
                        == 4);
        List<Map<String, Object>> runs = runs("queued-orders");
        assertThat(runs).filteredOn(r -> "SUCCEEDED".equals(r.get("status"))).hasSize(3);
        Map<String, Object> dead = runs.stream()
                .filter(r -> "FAILED".equals(r.get("status")))
                .findFirst()
                .orElseThrow();
        Map<String, Object> detail = TestServer.json(server.api("GET", "/api/v1/runs/" + dead.get("id"), null, null));
        assertThat(String.valueOf(detail.get("error"))).contains("PAYLOAD_INVALID");
        assertThat(((Map<?, ?>) detail.get("trigger")).get("raw")).isEqualTo("eyJxdHkiOiA=");
        var deadLetters = server.api("GET", "/api/v1/dead-letters", null, null);
        assertThat(deadLetters.body()).contains(String.valueOf(dead.get("id")));
        Map<String, Object> view = TestServer.json(server.api("GET", "/api/v1/flows/queued-orders", null, null));
        assertThat((Map<String, Object>) view.get("stream"))
                .containsEntry("status", "consuming")
                .containsEntry("received", 4)
                .containsEntry("rejected", 1);
        assertThat(channel.messageCount(QUEUE)).isZero();
    }
}
