package dev.junction.connector.kafka;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One Kafka connection: an idempotent producer shared by every {@code produce} call (opened on first
 * use; Kafka's producer is thread-safe), an admin client for "test", and a consumer of its own per
 * stream source. Every client is preceded by the outbound address check of the bootstrap hosts and a
 * TCP probe, so an unreachable or forbidden cluster is reported at once with a stable code.
 * Thread-safe.
 */
final class KafkaSession implements ConnectorSession {
    private static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaSettings settings;
    private final ConnectorContext context;
    private KafkaProducer<byte[], byte[]> producer;

    KafkaSession(KafkaSettings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        if (!operation.equals("produce")) {
            throw new ConnectorException(
                    "OPERATION_NOT_FOUND",
                    "the kafka connector has one operation, 'produce', not '" + operation + "'",
                    false);
        }
        Produce.Input in = Produce.Input.of(input, call);
        Duration timeout = call.timeout() == null ? DEFAULT_CALL_TIMEOUT : call.timeout();
        try {
            return Produce.send(producer(), in, timeout);
        } catch (ConnectorException e) {
            if (e.code().equals("TOPIC_NOT_FOUND") || e.code().equals("TIMEOUT")) {
                settings.probe(); // a missing topic and an unreachable cluster look alike to the producer
            }
            if (e.code().equals("AUTH_FAILED")) {
                dropProducer(Duration.ZERO); // an authentication failure leaves the producer unusable
            }
            throw e;
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() throws ConnectorException {
        if (producer == null) {
            settings.checkAddresses(context);
            settings.probe();
            Map<String, Object> p = settings.clientProperties("producer");
            p.put("enable.idempotence", true);
            p.put("acks", "all");
            p.put("max.block.ms", (int) KafkaSettings.API_TIMEOUT.toMillis());
            p.put("delivery.timeout.ms", (int) DEFAULT_CALL_TIMEOUT.toMillis());
            try {
                producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            } catch (KafkaException e) {
                throw new ConnectorException(
                        "CONFIG_INVALID",
                        "the Kafka producer cannot be created: " + e.getMessage(),
                        false,
                        null,
                        null,
                        e);
            }
        }
        return producer;
    }

    private synchronized void dropProducer(Duration wait) {
        if (producer != null) {
            producer.close(wait);
            producer = null;
        }
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        try {
            settings.checkAddresses(context);
            settings.probe();
            Map<String, Object> p = settings.clientProperties("test");
            try (Admin admin = Admin.create(p)) {
                int ms = (int) KafkaSettings.API_TIMEOUT.toMillis();
                DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms));
                Collection<Node> nodes = cluster.nodes().get(ms, TimeUnit.MILLISECONDS);
                String id = cluster.clusterId().get(ms, TimeUnit.MILLISECONDS);
                return TestResult.ok(
                        Duration.ofNanos(System.nanoTime() - t0),
                        "connected to Kafka cluster %s with %d broker(s) via %s"
                                .formatted(id, nodes.size(), settings.bootstrap()));
            }
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (ExecutionException | KafkaException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0),
                    KafkaErrors.of(e, "describing the cluster", "TOPIC_NOT_FOUND"));
        } catch (java.util.concurrent.TimeoutException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "TIMEOUT",
                    "describing the cluster: no answer within " + KafkaSettings.API_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), "TIMEOUT", "interrupted");
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return KafkaConnector.DESCRIPTOR.operations();
    }

    @Override
    public StreamSource stream(StreamSource.Spec spec) throws ConnectorException {
        StreamOptions options = StreamOptions.of(spec.options());
        settings.checkAddresses(context);
        settings.probe();
        String dlt = options.deadLetterTopic();
        return KafkaSource.open(
                settings, options, spec, dlt == null ? (r, reason) -> {} : (r, reason) -> deadLetter(dlt, r, reason));
    }

    /** Writes a rejected record, its bytes as they arrived, to {@code topic} and waits for the cluster. */
    private void deadLetter(String topic, ConsumerRecord<byte[], byte[]> r, String reason) throws ConnectorException {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(h);
        }
        headers.add("x-junction-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add(
                "x-junction-source",
                KafkaMessages.key(r.topic(), r.partition(), r.offset()).getBytes(StandardCharsets.UTF_8));
        String doing = "writing a rejected record of '%s' to dead-letter topic '%s'".formatted(r.topic(), topic);
        try {
            producer()
                    .send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers))
                    .get(DEFAULT_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | KafkaException e) {
            throw KafkaErrors.of(e, doing, "TOPIC_NOT_FOUND");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ConnectorException("TIMEOUT", doing + ": no acknowledgement in time", true, null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("TIMEOUT", doing + ": interrupted", true, null, null, e);
        }
    }

    @Override
    public void close() {
        dropProducer(Duration.ofSeconds(5));
    }
}
