package dev.junction.connector.auth;

import dev.junction.engine.connector.ConnectorException;

/** Where an authorization-code connection keeps its tokens and reports a dead grant. */
public interface TokenSink {
    /** Stores renewed tokens (the refresh token may have rotated). */
    void renewed(Tokens tokens) throws ConnectorException;

    /** The provider refused the refresh: the connection needs a new authorization. */
    void refused(String reason);
}
