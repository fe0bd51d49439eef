package dev.junction.connector.redis;

import dev.junction.engine.connector.ConnectorException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Redis failures as stable error codes; messages quote the server and say what was being done. */
final class RedisErrors {
    private RedisErrors() {}

    static ConnectorException of(JedisException e, String doing) {
        String what = doing + ": ";
        if (e instanceof JedisAccessControlException || startsWith(e, "WRONGPASS", "NOAUTH", "NOPERM")) {
            return new ConnectorException("AUTH_FAILED", what + e.getMessage(), false, null, null, e);
        }
        if (e instanceof JedisConnectionException) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
                if (root instanceof SocketTimeoutException) {
                    return new ConnectorException(
                            "TIMEOUT", what + "Redis did not answer in time", true, null, null, e);
                }
                if (root instanceof ConnectException || root instanceof UnknownHostException) {
                    return new ConnectorException(
                            "CONNECTION", what + "cannot connect: " + root.getMessage(), true, null, null, e);
                }
            }
            return new ConnectorException("CONNECTION", what + e.getMessage(), true, null, null, e);
        }
        if (startsWith(e, "NOGROUP")) {
            return new ConnectorException("SOURCE_NOT_FOUND", what + e.getMessage(), false, null, null, e);
        }
        if (startsWith(e, "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "OOM")) {
            return new ConnectorException("CONNECTION", what + e.getMessage(), true, null, null, e);
        }
        if (e instanceof JedisDataException) {
            return new ConnectorException("INPUT_INVALID", what + e.getMessage(), false, null, null, e);
        }
        return new ConnectorException("CONNECTION", what + e, true, null, null, e);
    }

    private static boolean startsWith(Exception e, String... prefixes) {
        String m = String.valueOf(e.getMessage());
        for (String p : prefixes) {
            if (m.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
