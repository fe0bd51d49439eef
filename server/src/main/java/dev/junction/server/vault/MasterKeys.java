package dev.junction.server.vault;

import dev.junction.server.core.JunctionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the master key comes from: {@code JUNCTION_MASTER_KEY} (base64, 32 bytes), else the key file
 * {@code <data dir>/master.key}, generated with mode 0600 on first start. {@code JUNCTION_MASTER_KEY_PREVIOUS}
 * is the key being rotated away from.
 */
public final class MasterKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MasterKeys() {}

    public static Path file(JunctionSettings settings) {
        return settings.dataDir().resolve("master.key");
    }

    /** The current master key; generates the key file when neither variable nor file exists. */
    public static byte[] current(JunctionSettings settings) {
        if (settings.masterKey() != null) {
            return decode(settings.masterKey(), "JUNCTION_MASTER_KEY");
        }
        Path file = file(settings);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(settings.dataDir());
                byte[] key = generate();
                writePrivate(file, Base64.getEncoder().encodeToString(key));
                return key;
            }
            return decode(Files.readString(file, StandardCharsets.UTF_8).strip(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }

    public static byte[] previous(JunctionSettings settings) {
        return settings.masterKeyPrevious() == null
                ? null
                : decode(settings.masterKeyPrevious(), "JUNCTION_MASTER_KEY_PREVIOUS");
    }

    public static byte[] generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64: " + e.getMessage());
        }
        if (key.length != 32) {
            throw new IllegalStateException(
                    source + " must be 32 bytes (256 bits) in base64, it is " + key.length + " bytes");
        }
        return key;
    }

    /** Replaces the key file atomically (write a private temporary file, then rename over it). */
    public static void replaceFile(Path file, byte[] key) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        writePrivate(tmp, Base64.getEncoder().encodeToString(key));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
