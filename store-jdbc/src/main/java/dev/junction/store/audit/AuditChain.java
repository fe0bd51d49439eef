package dev.junction.store.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** The hash chain of the audit log: how a record's hash is computed and how a chain is checked. Pure. */
public final class AuditChain {
    /** The predecessor of a workspace's first record. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /** SHA-256 over the previous hash and every field, each length-prefixed so no two records collide. */
    public static String hash(String previousHash, long seq, AuditRecord.Entry e) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {
                previousHash,
                e.workspaceId(),
                Long.toString(seq),
                Long.toString(e.at().toEpochMilli()),
                e.actor(),
                e.action(),
                e.target(),
                Integer.toString(e.status()),
                String.valueOf(e.beforeDigest()),
                String.valueOf(e.afterDigest())
            }) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                d.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                d.update(bytes);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    /** Where a chain breaks: the record and why. */
    public record Break(long seq, String reason) {}

    /**
     * Checks {@code record} against its expected predecessor hash and sequence number; empty when it
     * fits.
     */
    public static Optional<Break> check(AuditRecord r, long expectedSeq, String expectedPrevious) {
        if (r.seq() != expectedSeq) {
            return Optional.of(new Break(
                    expectedSeq,
                    "record %d is missing (the next one found is %d): a record was deleted"
                            .formatted(expectedSeq, r.seq())));
        }
        if (!r.previousHash().equals(expectedPrevious)) {
            return Optional.of(new Break(
                    r.seq(),
                    "record %d does not follow record %d: its previous hash differs".formatted(r.seq(), r.seq() - 1)));
        }
        AuditRecord.Entry e = new AuditRecord.Entry(
                r.workspaceId(),
                r.at(),
                r.actor(),
                r.action(),
                r.target(),
                r.status(),
                r.beforeDigest(),
                r.afterDigest());
        if (!hash(r.previousHash(), r.seq(), e).equals(r.hash())) {
            return Optional.of(new Break(
                    r.seq(), "record %d was changed: its content does not match its hash".formatted(r.seq())));
        }
        return Optional.empty();
    }
}
