package dev.junction.server.core;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.store.ApiKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Start-up duties, done before the node reports ready: the master key, the bootstrap admin API key,
 * and resuming runs a previous process left unfinished.
 */
@Component
class Bootstrap implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    static final String BOOTSTRAP_KEY_ID = "bootstrap-admin";

    private final JunctionSettings settings;
    private final ApiKeyStore keys;
    private final FlowEngine engine;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Bootstrap(JunctionSettings settings, ApiKeyStore keys, FlowEngine engine, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        LOG.info("node {} starting", settings.nodeId());
        ensureMasterKey();
        ensureAdminKey();
        int resumed = engine.recover();
        if (resumed > 0) {
            LOG.info("claimed {} unfinished or queued run(s); they continue from their last checkpoint", resumed);
        }
    }

    private void ensureMasterKey() throws IOException {
        if (settings.masterKey() != null) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(settings.masterKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("JUNCTION_MASTER_KEY is not base64: " + e.getMessage());
            }
            if (key.length != 32) {
                throw new IllegalStateException(
                        "JUNCTION_MASTER_KEY must be 32 bytes (256 bits) in base64, it is " + key.length + " bytes");
            }
            return;
        }
        Path file = settings.dataDir().resolve("master.key");
        if (!Files.exists(file)) {
            Files.createDirectories(settings.dataDir());
            byte[] key = new byte[32];
            random.nextBytes(key);
            writePrivate(file, Base64.getEncoder().encodeToString(key));
            LOG.info(
                    "generated a master key in {} (mode 0600); back it up with the data directory",
                    file.toAbsolutePath().normalize());
        }
    }

    private void ensureAdminKey() throws IOException {
        if (settings.adminApiKey() != null) {
            keys.replace(
                    new ApiKeyStore.ApiKey(
                            BOOTSTRAP_KEY_ID, "default", "bootstrap admin (JUNCTION_ADMIN_API_KEY)", "admin"),
                    settings.adminApiKey(),
                    clock.instant());
            return;
        }
        if (keys.exists(BOOTSTRAP_KEY_ID)) {
            return;
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = "jct_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        keys.replace(
                new ApiKeyStore.ApiKey(BOOTSTRAP_KEY_ID, "default", "bootstrap admin (generated)", "admin"),
                key,
                clock.instant());
        Path file = settings.dataDir().resolve("admin-api-key");
        writePrivate(file, key + "\n");
        // Printed once, on purpose: this is the only time the clear key exists outside the file.
        System.out.println();
        System.out.println("  Junction admin API key (shown once; also in "
                + file.toAbsolutePath().normalize() + ", mode 0600):");
        System.out.println("  " + key);
        System.out.println();
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
