package dev.junction.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Makes every commit in SQLite's write-ahead log so far power-safe: what {@code synchronous=FULL}
 * does inside each commit, done by {@link GroupCommit}'s second thread while the writer goes on.
 */
@FunctionalInterface
interface WalSync {
    void sync() throws IOException;

    /**
     * {@code fdatasync} of {@code wal}, opened for each sync (a reset or recreated log is a new
     * file). A log that is gone was checkpointed into the database file, and SQLite synced both
     * before removing it: nothing is left to do. The directory is synced the first time a log
     * file is seen, as SQLite does for a new one, so that its name survives a power loss too.
     */
    static WalSync of(Path wal) {
        return new WalSync() {
            private Object synced; // the file key of the log whose directory entry is on disk

            @Override
            public void sync() throws IOException {
                Object key;
                try {
                    key = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
                    try (FileChannel log = FileChannel.open(wal, StandardOpenOption.READ)) {
                        log.force(false);
                    }
                } catch (NoSuchFileException gone) {
                    return;
                }
                if (key == null || !Objects.equals(key, synced)) {
                    try (FileChannel dir = FileChannel.open(wal.getParent(), StandardOpenOption.READ)) {
                        dir.force(true);
                    }
                    synced = key;
                }
            }
        };
    }
}
