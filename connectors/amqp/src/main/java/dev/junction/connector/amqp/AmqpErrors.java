package dev.junction.connector.amqp;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import dev.junction.engine.connector.ConnectorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** The broker's failures as stable error codes; messages quote the broker. */
final class AmqpErrors {
    private AmqpErrors() {}

    static ConnectorException of(Exception e, String doing) {
        Throwable t = e;
        while (t instanceof IOException && t.getCause() != null && !(t instanceof ConnectException)) {
            t = t.getCause();
        }
        String what = doing + ": ";
        return switch (t) {
            case AuthenticationFailureException a ->
                new ConnectorException(
                        "AUTH_FAILED", what + "the broker refused the credentials", false, null, null, e);
            case ConnectException c ->
                new ConnectorException("CONNECTION", what + "cannot connect: " + c.getMessage(), true, null, null, e);
            case UnknownHostException u ->
                new ConnectorException("CONNECTION", what + "unknown host " + u.getMessage(), true, null, null, e);
            case SocketTimeoutException s ->
                new ConnectorException("TIMEOUT", what + "the broker did not answer in time", true, null, null, e);
            case TimeoutException s ->
                new ConnectorException("TIMEOUT", what + "the broker did not answer in time", true, null, null, e);
            case ShutdownSignalException s -> shutdown(s, what, e);
            default -> new ConnectorException("CONNECTION", what + t, true, null, null, e);
        };
    }

    private static ConnectorException shutdown(ShutdownSignalException s, String what, Exception e) {
        Object reason = s.getReason();
        String text = reason instanceof com.rabbitmq.client.Method m ? describe(m) : String.valueOf(s.getMessage());
        if (text.contains("NOT_FOUND")) {
            return new ConnectorException("SOURCE_NOT_FOUND", what + text, false, null, null, e);
        }
        if (text.contains("ACCESS_REFUSED")) {
            return new ConnectorException("AUTH_FAILED", what + text, false, null, null, e);
        }
        if (text.contains("PRECONDITION_FAILED")) {
            return new ConnectorException("INPUT_INVALID", what + text, false, null, null, e);
        }
        return new ConnectorException("CONNECTION", what + text, true, null, null, e);
    }

    private static String describe(com.rabbitmq.client.Method m) {
        if (m instanceof com.rabbitmq.client.AMQP.Channel.Close c) {
            return c.getReplyText();
        }
        if (m instanceof com.rabbitmq.client.AMQP.Connection.Close c) {
            return c.getReplyText();
        }
        return m.protocolMethodName();
    }
}
