package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectorException;
import io.nats.client.AuthenticationException;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** NATS failures as stable error codes; messages quote the server and say what was being done. */
final class NatsErrors {
    /** JetStream API error codes: stream not found, consumer not found. */
    private static final int STREAM_NOT_FOUND = 10059;

    private static final int CONSUMER_NOT_FOUND = 10014;

    private NatsErrors() {}

    static ConnectorException of(Exception e, String doing) {
        String what = doing + ": ";
        return switch (e) {
            case AuthenticationException a ->
                new ConnectorException(
                        "AUTH_FAILED", what + "the server refused the credentials", false, null, null, e);
            case JetStreamApiException j
            when j.getApiErrorCode() == STREAM_NOT_FOUND || j.getApiErrorCode() == CONSUMER_NOT_FOUND ->
                new ConnectorException("SOURCE_NOT_FOUND", what + j.getErrorDescription(), false, null, null, e);
            case JetStreamApiException j ->
                new ConnectorException(
                        "INPUT_INVALID",
                        what + j.getErrorDescription() + " (JetStream error " + j.getApiErrorCode() + ")",
                        false,
                        null,
                        null,
                        e);
            case TimeoutException t ->
                new ConnectorException("TIMEOUT", what + "the server did not answer in time", true, null, null, e);
            case IOException io
            when String.valueOf(io.getMessage()).contains("Authorization") ->
                new ConnectorException("AUTH_FAILED", what + io.getMessage(), false, null, null, e);
            case IOException io
            when String.valueOf(io.getMessage()).contains("503") ->
                new ConnectorException(
                        "SOURCE_NOT_FOUND",
                        what
                                + "no JetStream stream answered (is JetStream enabled, does a stream capture the subject?)",
                        false,
                        null,
                        null,
                        e);
            case IOException io -> new ConnectorException("CONNECTION", what + io.getMessage(), true, null, null, e);
            default -> new ConnectorException("CONNECTION", what + e, true, null, null, e);
        };
    }
}
