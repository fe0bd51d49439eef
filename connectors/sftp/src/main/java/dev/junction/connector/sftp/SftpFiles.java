package dev.junction.connector.sftp;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.CopyMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** The file operations on one SFTP channel. Each method answers a JSON-like map. */
final class SftpFiles {
    /** The largest file {@code get} reads into a step's output. */
    static final long MAX_GET_BYTES = 32L * 1024 * 1024;

    private final SftpClient sftp;
    private final Clock clock;

    SftpFiles(SftpClient sftp, Clock clock) {
        this.sftp = sftp;
        this.clock = clock;
    }

    Map<String, Object> list(OperationInput in) throws ConnectorException {
        String dir = in.text("path", ".");
        PathMatcher glob = glob(in);
        List<Object> items = new ArrayList<>();
        try {
            for (SftpClient.DirEntry e : entries(dir)) {
                String name = e.getFilename();
                if (name.equals(".") || name.equals("..") || !glob.matches(Path.of(name))) {
                    continue;
                }
                SftpClient.Attributes a = e.getAttributes();
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", name);
                item.put("path", join(dir, name));
                item.put("size", a.getSize());
                item.put("mtime", mtime(a).toString());
                item.put("directory", a.isDirectory());
                items.add(item);
            }
        } catch (IOException e) {
            throw SftpErrors.of(e, "listing '%s'".formatted(dir));
        }
        items.sort((x, y) -> ((String) ((Map<?, ?>) x).get("name")).compareTo((String) ((Map<?, ?>) y).get("name")));
        return Map.of("items", items);
    }

    Map<String, Object> get(OperationInput in) throws ConnectorException {
        String path = in.required("path", "a remote path such as /inbox/orders.csv");
        boolean base64 = in.base64();
        byte[] bytes;
        SftpClient.Attributes a;
        try {
            a = sftp.stat(path);
            if (a.isDirectory()) {
                throw in.invalid("path", "'%s' is a directory; use list".formatted(path));
            }
            if (a.getSize() > MAX_GET_BYTES) {
                throw new ConnectorException(
                        "PAYLOAD_TOO_LARGE",
                        "'%s' has %d bytes; get reads at most %d".formatted(path, a.getSize(), MAX_GET_BYTES),
                        false);
            }
            try (InputStream stream = sftp.read(path)) {
                bytes = stream.readNBytes((int) MAX_GET_BYTES + 1);
            }
        } catch (IOException e) {
            throw SftpErrors.of(e, "reading '%s'".formatted(path));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", path);
        out.put("size", bytes.length);
        out.put("mtime", mtime(a).toString());
        out.put("encoding", base64 ? "base64" : "text");
        out.put("content", base64 ? Base64.getEncoder().encodeToString(bytes) : utf8(path, bytes));
        return out;
    }

    private static String utf8(String path, byte[] bytes) throws ConnectorException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "'%s' is not UTF-8 text; read it with \"encoding\": \"base64\"".formatted(path),
                    false);
        }
    }

    /**
     * Writes the file. With {@code atomic} (the default) the bytes go to a hidden temporary name in
     * the same directory, which is then renamed over the target, so readers (and {@code newFiles})
     * see the old file or the whole new one, never part of it.
     */
    Map<String, Object> put(OperationInput in) throws ConnectorException {
        String path = in.required("path", "a remote path such as /inbox/orders.csv");
        byte[] bytes = in.content();
        boolean atomic = in.flag("atomic", true);
        boolean overwrite = in.flag("overwrite", true);
        try {
            if (in.flag("mkdirs", false)) {
                mkdirs(parent(path));
            }
            if (!overwrite && exists(path)) {
                throw new ConnectorException(
                        "ALREADY_EXISTS", "'%s' exists and input.overwrite is false".formatted(path), false);
            }
            String target = atomic ? temporaryName(path) : path;
            try {
                try (OutputStream out = sftp.write(target)) {
                    out.write(bytes);
                }
                if (atomic && overwrite) {
                    replace(target, path);
                } else if (atomic) {
                    sftp.rename(target, path); // a plain SFTP rename never replaces: no-clobber, atomically
                }
            } catch (IOException e) {
                if (atomic) {
                    removeQuietly(target);
                }
                throw e;
            }
        } catch (IOException e) {
            throw SftpErrors.of(e, "writing '%s'".formatted(path));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", path);
        out.put("size", bytes.length);
        return out;
    }

    Map<String, Object> move(OperationInput in) throws ConnectorException {
        String from = in.required("from", "a remote path such as /inbox/orders.csv");
        String to = in.required("to", "a remote path such as /inbox/orders.csv");
        boolean overwrite = in.flag("overwrite", false);
        try {
            if (in.flag("mkdirs", false)) {
                mkdirs(parent(to));
            }
            sftp.stat(from); // a missing source is NOT_FOUND, whatever the server says on rename
            if (overwrite) {
                replace(from, to);
            } else if (exists(to)) {
                throw new ConnectorException(
                        "ALREADY_EXISTS", "'%s' exists and input.overwrite is false".formatted(to), false);
            } else {
                sftp.rename(from, to);
            }
        } catch (IOException e) {
            throw SftpErrors.of(e, "moving '%s' to '%s'".formatted(from, to));
        }
        return Map.of("from", from, "to", to);
    }

    Map<String, Object> delete(OperationInput in) throws ConnectorException {
        String path = in.required("path", "a remote path such as /inbox/orders.csv");
        boolean ignoreMissing = in.flag("ignoreMissing", false);
        try {
            SftpClient.Attributes a = sftp.lstat(path);
            if (a.isDirectory()) {
                sftp.rmdir(path); // only when empty: no recursive delete from a flow step
            } else {
                sftp.remove(path);
            }
            return Map.of("path", path, "deleted", true);
        } catch (SftpException e) {
            if (ignoreMissing && e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return Map.of("path", path, "deleted", false);
            }
            throw SftpErrors.of(e, "deleting '%s'".formatted(path));
        } catch (IOException e) {
            throw SftpErrors.of(e, "deleting '%s'".formatted(path));
        }
    }

    /** The pollable feed of new and changed files in one directory; see {@link NewFiles}. */
    Map<String, Object> newFiles(OperationInput in) throws ConnectorException {
        String dir = in.required("directory", "a remote path such as /inbox/orders.csv");
        PathMatcher glob = glob(in);
        int limit = (int) in.number("limit", 1000, 1, 10_000);
        long minAge = in.number("minAgeSeconds", 0, 0, 86_400) * 1000;
        long overlap = in.number("overlapSeconds", 600, 0, 30L * 86_400) * 1000;
        NewFiles.Cursor cursor = NewFiles.Cursor.fromJson(in);
        List<NewFiles.Entry> listing = new ArrayList<>();
        try {
            for (SftpClient.DirEntry e : entries(dir)) {
                String name = e.getFilename();
                SftpClient.Attributes a = e.getAttributes();
                if (a.isRegularFile() && !NewFiles.temporary(name) && glob.matches(Path.of(name))) {
                    listing.add(new NewFiles.Entry(name, mtime(a).toEpochMilli(), a.getSize()));
                }
            }
        } catch (IOException e) {
            throw SftpErrors.of(e, "listing '%s'".formatted(dir));
        }
        NewFiles.Decision d = NewFiles.decide(listing, cursor, clock.instant(), minAge, overlap, limit);
        List<Object> items = new ArrayList<>();
        for (NewFiles.Entry e : d.emit()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", e.name());
            item.put("path", join(dir, e.name()));
            item.put("size", e.size());
            item.put("mtime", Instant.ofEpochMilli(e.mtime()).toString());
            items.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("cursor", d.next().toJson());
        out.put("more", d.more());
        return out;
    }

    /** A whole directory listing; the client's lazy iterator wraps errors, unwrapped here. */
    private List<SftpClient.DirEntry> entries(String dir) throws IOException {
        List<SftpClient.DirEntry> out = new ArrayList<>();
        try {
            sftp.readDir(dir).forEach(out::add);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    /** Renames {@code from} over {@code to}, atomically where the server can. */
    private void replace(String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(from, to);
        } else if (sftp.getVersion() >= SftpConstants.SFTP_V5) {
            sftp.rename(from, to, CopyMode.Overwrite, CopyMode.Atomic);
        } else {
            // SFTP v3 without posix-rename cannot replace: a short window where 'to' is missing
            removeQuietly(to);
            sftp.rename(from, to);
        }
    }

    private boolean exists(String path) throws IOException {
        try {
            sftp.lstat(path);
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    private void mkdirs(String dir) throws IOException {
        if (dir == null || dir.isEmpty() || dir.equals("/") || dir.equals(".") || exists(dir)) {
            return;
        }
        mkdirs(parent(dir));
        try {
            sftp.mkdir(dir);
        } catch (SftpException e) {
            if (!exists(dir)) { // another writer may have made it meanwhile
                throw e;
            }
        }
    }

    private void removeQuietly(String path) {
        try {
            sftp.remove(path);
        } catch (IOException ignored) {
            // nothing to remove, or already failing: the caller reports the first error
        }
    }

    private static String temporaryName(String path) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return dir + "." + name + "." + random + ".part";
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : null) : path.substring(0, slash);
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static PathMatcher glob(OperationInput in) throws ConnectorException {
        String pattern = in.text("glob", "*");
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw in.invalid("glob", "is not a glob pattern (%s)".formatted(e.getMessage()));
        }
    }

    private static Instant mtime(SftpClient.Attributes a) {
        return a.getModifyTime() == null ? Instant.EPOCH : a.getModifyTime().toInstant();
    }
}
