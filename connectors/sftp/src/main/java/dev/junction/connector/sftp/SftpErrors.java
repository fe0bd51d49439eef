package dev.junction.connector.sftp;

import dev.junction.engine.connector.ConnectorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** The server's failures as stable error codes; messages quote the server and name the path. */
final class SftpErrors {
    private SftpErrors() {}

    static ConnectorException of(IOException e, String doing) {
        String what = doing + ": ";
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof SftpException)) {
            root = root.getCause();
        }
        if (root instanceof SftpException s) {
            return status(s, what, e);
        }
        return switch (root) {
            case ConnectException c -> fail("CONNECTION", what + "cannot connect: " + c.getMessage(), true, e);
            case NoRouteToHostException c -> fail("CONNECTION", what + "no route: " + c.getMessage(), true, e);
            case UnknownHostException u -> fail("CONNECTION", what + "unknown host " + u.getMessage(), true, e);
            case SocketTimeoutException t -> fail("TIMEOUT", what + "the server did not answer in time", true, e);
            default -> {
                String m = String.valueOf(e.getMessage());
                if (e instanceof SshException && m.contains("authentication")) {
                    yield fail("AUTH_FAILED", what + "the server refused the credentials (" + m + ")", false, e);
                }
                if (m.contains("timeout") || m.contains("timed out")) {
                    yield fail("TIMEOUT", what + m, true, e);
                }
                yield fail("CONNECTION", what + e, true, e);
            }
        };
    }

    private static ConnectorException status(SftpException s, String what, IOException e) {
        String said = SftpConstants.getStatusName(s.getStatus()) + " " + s.getMessage();
        return switch (s.getStatus()) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH ->
                fail("NOT_FOUND", what + "no such file or directory (" + said + ")", false, e);
            case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT ->
                fail("PERMISSION_DENIED", what + "the server denied it (" + said + ")", false, e);
            case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS ->
                fail("ALREADY_EXISTS", what + "the target exists (" + said + ")", false, e);
            case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                fail("STORAGE_FULL", what + said, true, e);
            case SftpConstants.SSH_FX_NOT_A_DIRECTORY, SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY ->
                fail("INPUT_INVALID", what + said, false, e);
            default -> fail("SFTP_ERROR", what + said, false, e);
        };
    }

    static ConnectorException fail(String code, String message, boolean retryable, Throwable cause) {
        return new ConnectorException(code, message, retryable, null, null, cause);
    }
}
