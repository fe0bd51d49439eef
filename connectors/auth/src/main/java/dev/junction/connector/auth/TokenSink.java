package dev.junction.connector.auth;

import dev.junction.engine.connector.ConnectorException;

/**
 * Where an authorization-code connection keeps its tokens and reports a dead grant. Other sessions
 * of the same connection (a "test connection", another node) may renew or replace the tokens, so
 * the authorizer asks for the {@link #stored} ones before it gives up.
 */
public interface TokenSink {
    /** Stores renewed tokens (the refresh token may have rotated). */
    void renewed(Tokens tokens) throws ConnectorException;

    /** The tokens stored now, or null. */
    Tokens stored() throws ConnectorException;

    /** The provider refused the refresh: the connection needs a new authorization. */
    void refused(String reason);
}
