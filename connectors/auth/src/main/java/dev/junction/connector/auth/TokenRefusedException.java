package dev.junction.connector.auth;

import dev.junction.engine.connector.ConnectorException;

/**
 * A token endpoint refused a request ({@code AUTH_FAILED}). {@code error} is the provider's OAuth
 * error code ({@code invalid_client}, {@code invalid_grant}, ...) or null when it sent none; the
 * message carries the provider's {@code error} and {@code error_description} verbatim.
 */
public final class TokenRefusedException extends ConnectorException {
    private final String error;
    private final int status;

    TokenRefusedException(String message, String error, int status) {
        super("AUTH_FAILED", message, status >= 500 || status == 429);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** The grant itself is dead (revoked, expired refresh token): only a new authorization helps. */
    public boolean grantInvalid() {
        return "invalid_grant".equals(error) || (status == 400 || status == 401) && error == null;
    }
}
