package dev.junction.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.FlowParser;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.flow.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The documented example flow parses, and its stream options are ones the connector accepts. */
class KafkaExampleTest {
    @Test
    void theDocumentedExampleIsAValidFlowWithValidOptions() throws Exception {
        String yaml = Files.readString(Path.of("../../docs/examples/kafka-stream.yaml"));
        FlowDefinition flow = new FlowParser().parse(yaml, SourceFormat.YAML);
        Trigger.Stream trigger = (Trigger.Stream) flow.trigger();
        StreamOptions options = StreamOptions.of(trigger.options());
        assertThat(options.deadLetterTopic()).isEqualTo("orders.dead");
        assertThat(options.sessionTimeout().toSeconds()).isEqualTo(30);
    }
}
