package dev.junction.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.store.Database;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** The database is opened while the context is built, but never by the build's AOT processing. */
class EarlyStartTest {
    @TempDir
    Path dataDir;

    private final GenericApplicationContext context = new GenericApplicationContext();

    @AfterEach
    void clear() {
        System.clearProperty("spring.aot.processing");
        context.close();
    }

    @Test
    void opensTheDatabaseInTheDataDirectoryAndHandsItToTheBean() {
        new EarlyStart().initialize(withDataDir());
        EarlyStart started = (EarlyStart) context.getBeanFactory().getSingleton(EarlyStart.BEAN);
        try (Database db = started.take()) {
            assertThat(db.isSqlite()).isTrue();
            assertThat(dataDir.resolve("junction.db")).exists();
        }
    }

    @Test
    void theBuildsAotProcessingOpensNothing() {
        System.setProperty("spring.aot.processing", "true"); // as Spring's AbstractAotProcessor sets it
        new EarlyStart().initialize(withDataDir());
        assertThat(context.getBeanFactory().containsSingleton(EarlyStart.BEAN)).isFalse();
        assertThat(dataDir).isEmptyDirectory();
    }

    private GenericApplicationContext withDataDir() {
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("JUNCTION_DATA_DIR", dataDir.toString())));
        return context;
    }
}
