package dev.junction.engine.connector;

import java.time.Clock;

/**
 * What the platform lends a connector session: an HTTP client that already applies the connection's
 * base URL, authentication, outbound address policy and size limits; the address policy for
 * connectors that open their own sockets; and the clock.
 */
public interface ConnectorContext {
    OutboundHttp http();

    AddressPolicy addresses();

    Clock clock();
}
