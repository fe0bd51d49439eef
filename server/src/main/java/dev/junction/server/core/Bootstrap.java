package dev.junction.server.core;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.store.ApiKeyStore;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Start-up duties, done before the node reports ready: the bootstrap admin API key and resuming runs
 * a previous process left unfinished. (The master key is loaded, or generated, with the vault.)
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
        ensureAdminKey();
        int resumed = engine.recover();
        if (resumed > 0) {
            LOG.info("claimed {} unfinished or queued run(s); they continue from their last checkpoint", resumed);
        }
    }

    private void ensureAdminKey() throws IOException {
        if (settings.adminApiKey() != null) {
            keys.replace(
                    new ApiKeyStore.ApiKey(
                            BOOTSTRAP_KEY_ID, "default", "bootstrap owner (JUNCTION_ADMIN_API_KEY)", "owner"),
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
                new ApiKeyStore.ApiKey(BOOTSTRAP_KEY_ID, "default", "bootstrap owner (generated)", "owner"),
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
        dev.junction.server.vault.MasterKeys.writePrivate(file, content);
    }
}
