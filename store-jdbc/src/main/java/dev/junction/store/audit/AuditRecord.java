package dev.junction.store.audit;

import java.time.Instant;

/**
 * One audited action: who ({@code actor}), in which workspace, did what ({@code action}, e.g.
 * {@code PUT /api/v1/flows/{id}}) to what ({@code target}, the path), with which outcome ({@code
 * status}), and digests of what was asked ({@code beforeDigest}) and what resulted ({@code
 * afterDigest}); {@code seq} numbers a workspace's records from 1 and {@code hash} chains each to
 * {@code previousHash}.
 */
public record AuditRecord(
        String workspaceId,
        long seq,
        Instant at,
        String actor,
        String action,
        String target,
        int status,
        String beforeDigest,
        String afterDigest,
        String previousHash,
        String hash) {

    /** What a caller records; the log assigns sequence number and hashes. */
    public record Entry(
            String workspaceId,
            Instant at,
            String actor,
            String action,
            String target,
            int status,
            String beforeDigest,
            String afterDigest) {}
}
