package dev.junction.store.vault;

/** A secret cannot be decrypted: the master key does not match, or the stored data was changed. */
public final class VaultException extends RuntimeException {
    public VaultException(String message) {
        super(message);
    }
}
