package dev.junction.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.connector.ConnectorDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/connectors/<id>.md} is what {@link ConnectorReference} renders from each built-in
 * connector's descriptor. After changing a connector, regenerate the pages with
 * {@code ./mvnw -pl server test -Dtest=ConnectorReferenceTest -Djunction.docs.write=true}.
 */
class ConnectorReferenceTest {
    private static final Path DOCS = Path.of("..", "docs", "connectors");

    @Test
    void everyBuiltInConnectorHasACurrentReferencePage() throws IOException {
        boolean write = Boolean.getBoolean("junction.docs.write");
        List<ConnectorDescriptor> builtIn = new ConnectorRegistry()
                .descriptors().stream().filter(d -> !d.id().startsWith("test-")).toList();
        assertThat(builtIn).extracting(ConnectorDescriptor::id).contains("http", "database", "openapi", "amqp");
        Files.createDirectories(DOCS);
        for (ConnectorDescriptor d : builtIn) {
            Path page = DOCS.resolve(d.id() + ".md");
            String rendered = ConnectorReference.markdown(d);
            if (write) {
                Files.writeString(page, rendered);
            }
            assertThat(page)
                    .as("%s is out of date; regenerate it with -Djunction.docs.write=true", page)
                    .exists();
            assertThat(Files.readString(page)).as(page.toString()).isEqualTo(rendered);
        }
    }
}
