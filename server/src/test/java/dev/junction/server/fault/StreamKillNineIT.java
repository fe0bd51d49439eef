package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while a stream trigger consumes 1,000 messages of a RabbitMQ queue (the machine's
 * server) into a flow whose downstream is slow. After a restart on the same data directory every
 * message has produced exactly one run, every run completes, and the queue is empty: messages
 * received but not yet acknowledged were delivered again and recognised by their message id.
 */
class StreamKillNineIT {
    private static final int MESSAGES = 1000;

    @Test
    void everyMessageProducesExactlyOneRunAcrossAKill(@TempDir Path tmp) throws Exception {
        String queue = "jct-kill9-" + UUID.randomUUID().toString().substring(0, 8);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection admin = factory.newConnection("kill9-test");
                Channel channel = admin.createChannel();
                CountingSink sink = new CountingSink(Duration.ofMillis(20))) {
            channel.queueDeclare(queue, true, false, false, null);
            try {
                for (int n = 0; n < MESSAGES; n++) {
                    channel.basicPublish(
                            "",
                            queue,
                            new AMQP.BasicProperties.Builder()
                                    .messageId("M-" + n)
                                    .contentType("application/json")
                                    .deliveryMode(2)
                                    .build(),
                            Faults.order(n).getBytes(StandardCharsets.UTF_8));
                }
                Path data = tmp.resolve("data");
                JunctionProcess first = JunctionProcess.start("stream-kill9-first", data, Map.of());
                try (first) {
                    Faults.createRabbitConnection(first);
                    Faults.deploy(first, flow(queue, sink.url()));
                    await("a third of the messages taken")
                            .atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> Faults.runs(first).size() >= 300);
                    first.kill9();
                }
                long before = channel.messageCount(queue);
                assertThat(before).as("messages left in the queue at the kill").isLessThan(MESSAGES);

                try (JunctionProcess second = JunctionProcess.start("stream-kill9-second", data, Map.of())) {
                    await("every message has its run, finished")
                            .atMost(Duration.ofMinutes(3))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> Faults.succeeded(Faults.runs(second)) >= MESSAGES);
                    List<Map<?, ?>> runs = Faults.runs(second);
                    assertThat(runs).as("exactly one run per message").hasSize(MESSAGES);
                    assertThat(sink.orders()).hasSize(MESSAGES);
                    await("the queue is empty")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> channel.messageCount(queue) == 0);
                }
            } finally {
                channel.queueDelete(queue);
            }
        }
    }

    private static String flow(String queue, String sinkUrl) {
        return """
                id: %s
                trigger: { type: stream, connection: rabbit, source: %s, maxInFlight: 32 }
                steps:
                  - id: push
                    type: http
                    method: POST
                    url: "%s"
                    body: "{{ { 'externalId': trigger.body.orderId } }}"
                """.formatted(Faults.FLOW, queue, sinkUrl);
    }
}
