package dev.junction.connector.kafka;

import dev.junction.engine.connector.ConnectorException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The cluster's failures as stable error codes: {@code AUTH_FAILED} (SASL refused), {@code
 * FORBIDDEN} (an ACL refused the topic or group), {@code missing} (a topic that does not exist;
 * {@code SOURCE_NOT_FOUND} for a stream, {@code TOPIC_NOT_FOUND} for produce), {@code
 * INPUT_INVALID}, {@code TIMEOUT} and {@code CONNECTION}. Messages quote the client and say what
 * was being done.
 */
final class KafkaErrors {
    private KafkaErrors() {}

    static ConnectorException of(Throwable e, String doing, String missing) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String what = doing + ": ";
        return switch (t) {
            case AuthenticationException a ->
                new ConnectorException(
                        "AUTH_FAILED",
                        what + "the cluster refused the credentials (" + a.getMessage() + ")",
                        false,
                        null,
                        null,
                        e);
            case AuthorizationException a ->
                new ConnectorException("FORBIDDEN", what + "not authorized: " + a.getMessage(), false, null, null, e);
            case UnknownTopicOrPartitionException u ->
                new ConnectorException(
                        missing, what + "the topic does not exist (" + u.getMessage() + ")", false, null, null, e);
            case InvalidTopicException i ->
                new ConnectorException("INPUT_INVALID", what + i.getMessage(), false, null, null, e);
            case RecordTooLargeException r ->
                new ConnectorException("INPUT_INVALID", what + r.getMessage(), false, null, null, e);
            case TimeoutException x ->
                new ConnectorException(
                        "TIMEOUT",
                        what + "the cluster did not answer in time (" + x.getMessage() + ")",
                        true,
                        null,
                        null,
                        e);
            case InterruptException x -> interrupted(what, e);
            case InterruptedException x -> interrupted(what, e);
            default -> new ConnectorException("CONNECTION", what + t, true, null, null, e);
        };
    }

    private static ConnectorException interrupted(String what, Throwable e) {
        Thread.currentThread().interrupt();
        return new ConnectorException("TIMEOUT", what + "interrupted", true, null, null, e);
    }
}
