package dev.junction.engine.connector;

/**
 * Applies a connection's authentication to an outgoing request (headers, query parameters). Called
 * for every request, so implementations cache tokens themselves; thread-safe.
 */
@FunctionalInterface
public interface HttpAuthorizer {
    HttpAuthorizer NONE = request -> request;

    OutboundHttp.Request authorize(OutboundHttp.Request request) throws ConnectorException;

    /**
     * The far side answered 401 to a request this authorizer signed: drop cached tokens so the next
     * request fetches fresh ones. Returns true when retrying once may succeed.
     */
    default boolean unauthorized() {
        return false;
    }
}
