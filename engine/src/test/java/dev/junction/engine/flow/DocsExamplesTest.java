package dev.junction.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example flow in {@code docs/examples} is a valid definition, so the docs cannot drift from the parser. */
class DocsExamplesTest {
    static List<Path> examples() throws IOException {
        Path dir = Path.of("..", "docs", "examples");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(found).as("examples in " + dir.toAbsolutePath()).isNotEmpty();
            return found;
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void isAValidFlow(Path example) throws IOException {
        String yaml = Files.readString(example);
        assertThatCode(() -> new FlowParser().parse(yaml, SourceFormat.YAML))
                .as(example.getFileName().toString())
                .doesNotThrowAnyException();
    }
}
