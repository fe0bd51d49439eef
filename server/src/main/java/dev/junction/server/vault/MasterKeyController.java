package dev.junction.server.vault;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.vault.Vault;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * Master-key rotation without downtime. With the key file, Junction generates the new key, re-wraps
 * every data key under it and replaces the file. With {@code JUNCTION_MASTER_KEY}, the caller sends
 * the new key ({@code {"newKey": "<base64>"}}), then sets it as {@code JUNCTION_MASTER_KEY} (and the
 * old one as {@code JUNCTION_MASTER_KEY_PREVIOUS} on nodes not yet restarted).
 */
@RestController
class MasterKeyController {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyController.class);

    private final Vault vault;
    private final JunctionSettings settings;

    MasterKeyController(Vault vault, JunctionSettings settings) {
        this.vault = vault;
        this.settings = settings;
    }

    @PostMapping("/api/v1/admin/master-key/rotate")
    synchronized Map<String, Object> rotate(
            @RequestAttribute(ApiKeyFilter.ROLE) String role, HttpServletRequest request) throws IOException {
        if (!"admin".equals(role) && !"owner".equals(role)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "FORBIDDEN", "rotating the master key needs the admin role");
        }
        Map<String, Object> body = request.getContentLengthLong() > 0
                ? RequestBodies.jsonObject(request, settings.maxBodyBytes())
                : Map.of();
        String before = vault.masterKeyId();
        byte[] fresh;
        if (settings.masterKey() != null) {
            if (!(body.get("newKey") instanceof String text)) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BAD_REQUEST",
                        "the master key comes from JUNCTION_MASTER_KEY: send {\"newKey\": \"<32 bytes in base64>\"},"
                                + " then set it as JUNCTION_MASTER_KEY",
                        Map.of("field", "newKey"));
            }
            try {
                fresh = MasterKeys.decode(text, "newKey");
            } catch (IllegalStateException e) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "BAD_REQUEST", e.getMessage(), Map.of("field", "newKey"));
            }
            int rewrapped = vault.rotate(fresh);
            LOG.info(
                    "master key rotated from {} to {} ({} data keys re-wrapped)",
                    before,
                    vault.masterKeyId(),
                    rewrapped);
            return Map.of("previousKeyId", before, "keyId", vault.masterKeyId(), "rewrappedDataKeys", rewrapped);
        }
        if (!body.isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "with the key file the new key is generated here; send no body",
                    Map.of("field", body.keySet().iterator().next()));
        }
        fresh = MasterKeys.generate();
        // Write the new key beside the old one first: a crash after the re-wrap must not lose it.
        java.nio.file.Path pending = MasterKeys.file(settings).resolveSibling("master.key.pending");
        MasterKeys.writePrivate(pending, java.util.Base64.getEncoder().encodeToString(fresh));
        int rewrapped = vault.rotate(fresh);
        MasterKeys.replaceFile(MasterKeys.file(settings), fresh);
        java.nio.file.Files.deleteIfExists(pending);
        LOG.info("master key rotated from {} to {} ({} data keys re-wrapped)", before, vault.masterKeyId(), rewrapped);
        return Map.of("previousKeyId", before, "keyId", vault.masterKeyId(), "rewrappedDataKeys", rewrapped);
    }
}
