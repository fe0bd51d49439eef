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
 * Back-pressure: 100,000 messages wait in a RabbitMQ queue while a slow flow consumes them. Junction
 * takes only what it has room for (maxInFlight unfinished runs plus the prefetch), so the backlog
 * stays in the broker, the runs not yet finished never exceed maxInFlight, and the node's memory
 * stays within its limits.
 */
class BackPressureIT {
    private static final int MESSAGES = 100_000;
    private static final int MAX_IN_FLIGHT = 16;
    private static final int PREFETCH = 50;

    @Test
    void aSaturatedNodeLeavesTheBacklogInTheBroker(@TempDir Path tmp) throws Exception {
        String queue = "jct-backlog-" + UUID.randomUUID().toString().substring(0, 8);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection admin = factory.newConnection("backpressure-test");
                Channel channel = admin.createChannel();
                CountingSink sink = new CountingSink(Duration.ofMillis(100))) {
            channel.queueDeclare(queue, false, false, false, null);
            try {
                AMQP.BasicProperties json = new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .build();
                for (int n = 0; n < MESSAGES; n++) {
                    channel.basicPublish(
                            "",
                            queue,
                            json.builder().messageId("B-" + n).build(),
                            Faults.order(n).getBytes(StandardCharsets.UTF_8));
                }
                await("all published")
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> channel.messageCount(queue) == MESSAGES);
                try (JunctionProcess node = JunctionProcess.start("backpressure", tmp.resolve("data"), Map.of())) {
                    Faults.createRabbitConnection(node);
                    Faults.deploy(node, """
                            id: %s
                            trigger:
                              type: stream
                              connection: rabbit
                              source: %s
                              maxInFlight: %d
                              options: { prefetch: %d }
                            steps:
                              - id: push
                                type: http
                                method: POST
                                url: "%s"
                                body: "{{ { 'externalId': trigger.body.orderId } }}"
                            """.formatted(Faults.FLOW, queue, MAX_IN_FLIGHT, PREFETCH, sink.url()));
                    await("consuming")
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> sink.orders().size() >= 100);
                    long rssFirst = node.rssBytes();
                    for (int sample = 0; sample < 3; sample++) {
                        int before = sink.orders().size();
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> sink.orders().size() >= before + 100);
                        long waiting = channel.messageCount(queue); // before the runs: they only grow
                        List<Map<?, ?>> runs = Faults.runs(node);
                        long unfinished = runs.size() - Faults.succeeded(runs);
                        System.out.printf(
                                "back-pressure: runs %d (unfinished %d), delivered %d, waiting in the broker %d, RSS %d MiB%n",
                                runs.size(), unfinished, sink.orders().size(), waiting, node.rssBytes() >> 20);
                        assertThat(unfinished).as("unfinished runs").isLessThanOrEqualTo(MAX_IN_FLIGHT);
                        assertThat(waiting)
                                .as("the backlog stays in the broker")
                                .isGreaterThanOrEqualTo((long) MESSAGES - runs.size() - PREFETCH);
                    }
                    long rssLast = node.rssBytes();
                    assertThat(rssLast)
                            .as("RSS (%d MiB at first)", rssFirst >> 20)
                            .isLessThan(768L << 20);
                }
            } finally {
                channel.queueDelete(queue);
            }
        }
    }
}
