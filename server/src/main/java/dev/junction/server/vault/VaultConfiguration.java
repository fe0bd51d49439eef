package dev.junction.server.vault;

import dev.junction.server.core.JunctionSettings;
import dev.junction.store.Database;
import dev.junction.store.vault.Vault;
import java.nio.file.Files;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The vault under the configured master key. */
@Configuration(proxyBeanMethods = false)
class VaultConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(VaultConfiguration.class);

    @Bean
    Vault vault(Database db, JunctionSettings settings, Clock clock) {
        boolean generated = settings.masterKey() == null && !Files.exists(MasterKeys.file(settings));
        Vault vault = new Vault(db, MasterKeys.current(settings), MasterKeys.previous(settings), clock);
        if (generated) {
            LOG.info(
                    "generated a master key in {} (mode 0600); back it up with the data directory",
                    MasterKeys.file(settings).toAbsolutePath().normalize());
        }
        LOG.info("secrets are encrypted under master key {}", vault.masterKeyId());
        return vault;
    }
}
