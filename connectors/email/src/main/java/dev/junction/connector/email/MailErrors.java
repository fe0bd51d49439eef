package dev.junction.connector.email;

import dev.junction.engine.connector.ConnectorException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/** The mail servers' failures as stable error codes; messages quote the server. */
final class MailErrors {
    private MailErrors() {}

    static ConnectorException of(MessagingException e, String doing) {
        String what = doing + ": ";
        if (e instanceof AuthenticationFailedException) {
            return fail("AUTH_FAILED", what + "the server refused the login (" + e.getMessage() + ")", false, e);
        }
        if (e instanceof FolderNotFoundException) {
            return fail("NOT_FOUND", what + "no such folder (" + e.getMessage() + ")", false, e);
        }
        if (e instanceof SendFailedException s
                && s.getInvalidAddresses() != null
                && s.getInvalidAddresses().length > 0) {
            String rejected =
                    Arrays.stream(s.getInvalidAddresses()).map(String::valueOf).collect(Collectors.joining(", "));
            return fail(
                    "RECIPIENTS_REJECTED",
                    what + "the server refused " + rejected + " (" + e.getMessage() + ")",
                    false,
                    e);
        }
        if (e instanceof SMTPSendFailedException s) { // 5xx is permanent, 4xx worth another try
            boolean permanent = s.getReturnCode() >= 500;
            return fail(
                    permanent ? "MAIL_REJECTED" : "MAIL_DEFERRED",
                    what + e.getMessage().strip(),
                    !permanent,
                    e);
        }
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) {
                return fail("TLS_FAILED", what + "TLS failed: " + t.getMessage(), false, e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return switch (root) {
            case ConnectException c -> fail("CONNECTION", what + "cannot connect: " + c.getMessage(), true, e);
            case NoRouteToHostException c -> fail("CONNECTION", what + "no route: " + c.getMessage(), true, e);
            case UnknownHostException u -> fail("CONNECTION", what + "unknown host " + u.getMessage(), true, e);
            case SocketTimeoutException t -> fail("TIMEOUT", what + "the server did not answer in time", true, e);
            default -> {
                String m = String.valueOf(e.getMessage());
                if (m.contains("STARTTLS")) {
                    yield fail("TLS_FAILED", what + m + " (set smtpSecurity/imapSecurity to tls or none)", false, e);
                }
                yield fail("CONNECTION", what + m, true, e);
            }
        };
    }

    static ConnectorException fail(String code, String message, boolean retryable, Throwable cause) {
        return new ConnectorException(code, message, retryable, null, null, cause);
    }
}
