package dev.junction.connector.s3;

import dev.junction.engine.connector.ConnectorException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The store's failures as stable error codes; messages quote the store's error code and message. */
final class S3Errors {
    private S3Errors() {}

    static ConnectorException of(SdkException e, String doing) {
        String what = doing + ": ";
        if (e instanceof S3Exception s) {
            String code =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String said = "%s (HTTP %d %s)".formatted(code, s.statusCode(), message(s));
            int status = s.statusCode();
            if (status == 404 || "NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
                return fail("NOT_FOUND", what + "not found: " + said, false, null, e);
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || status == 401) {
                return fail("AUTH_FAILED", what + "the store refused the credentials: " + said, false, null, e);
            }
            if (status == 403) {
                return fail("PERMISSION_DENIED", what + said, false, null, e);
            }
            if (status == 503 || status == 429 || "SlowDown".equals(code)) {
                return fail("THROTTLED", what + said, true, Duration.ofSeconds(1), e);
            }
            if (status >= 500) {
                return fail("HTTP_5XX", what + said, true, null, e);
            }
            return fail("S3_ERROR", what + said, false, null, e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return fail("TIMEOUT", what + "the store did not answer in time", true, null, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return switch (root) {
            case ConnectException c -> fail("CONNECTION", what + "cannot connect: " + c.getMessage(), true, null, e);
            case NoRouteToHostException c -> fail("CONNECTION", what + "no route: " + c.getMessage(), true, null, e);
            case UnknownHostException u -> fail("CONNECTION", what + "unknown host " + u.getMessage(), true, null, e);
            case SocketTimeoutException t -> fail("TIMEOUT", what + "the store did not answer in time", true, null, e);
            default -> fail("CONNECTION", what + e.getMessage(), true, null, e);
        };
    }

    private static String message(S3Exception s) {
        return s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
                ? ""
                : s.awsErrorDetails().errorMessage();
    }

    static ConnectorException fail(String code, String message, boolean retryable, Duration after, Throwable cause) {
        return new ConnectorException(code, message, retryable, after, null, cause);
    }
}
