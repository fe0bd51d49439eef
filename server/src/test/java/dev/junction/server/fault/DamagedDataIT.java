package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./junction start` on a damaged database refuses to run and says how to restore, without a stack trace. */
class DamagedDataIT {
    @Test
    void startUpRefusesADamagedDatabaseWithRestoreSteps(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("junction.db"), "not a database: overwritten by accident");
        JunctionProcess.Outcome outcome = JunctionProcess.runToExit("damaged", data, Map.of());
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output())
                .contains("Junction refused to start")
                .contains("is damaged")
                .contains("copy your latest backup")
                .doesNotContain("\tat dev.junction");
        assertThat(Files.readString(data.resolve("junction.db"))).startsWith("not a database");
    }
}
