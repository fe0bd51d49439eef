package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged database file stops the start-up with a message that says what is wrong and how to restore. */
class SqliteIntegrityTest {
    @Test
    void refusesAFileThatIsNotADatabase(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("junction.db"), "this is not an SQLite database, just text that got here");
        assertThatThrownBy(() -> Database.sqlite(dir))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining("is damaged")
                .hasMessageContaining("copy your latest backup");
    }

    @Test
    void refusesATruncatedDatabase(@TempDir Path dir) throws Exception {
        try (Database db = Database.sqlite(dir)) {
            new JdbcFlowRepository(db); // the schema is migrated on open; make the file several pages long
        }
        Path file = dir.resolve("junction.db");
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size / 2);
        }
        assertThatThrownBy(() -> Database.sqlite(dir))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining(file.toString());
    }
}
