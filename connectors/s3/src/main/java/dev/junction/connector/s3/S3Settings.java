package dev.junction.connector.s3;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * A connection's validated configuration. {@code endpoint} (optional) points at an S3-compatible
 * store such as MinIO; without it the connector talks to AWS in {@code region}. {@code pathStyle}
 * puts the bucket in the path ({@code host/bucket/key}) rather than the host name, as most
 * S3-compatible stores need. Without an access key, requests are anonymous (public buckets).
 */
record S3Settings(
        URI endpoint,
        String region,
        String bucket,
        String accessKeyId,
        String secretAccessKey,
        boolean pathStyle,
        Duration timeout) {

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "S3Settings[bucket=%s, region=%s, endpoint=%s]".formatted(bucket, region, endpoint);
    }

    static S3Settings of(ConnectionConfig c) throws ConnectorException {
        String bucket = c.text("bucket", "").strip();
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw invalid("config.bucket must be a bucket name (3 to 63 lower-case letters, digits, '.' and '-'),"
                    + " not '" + bucket + "'");
        }
        String region = c.text("region", "us-east-1").strip();
        if (!region.matches("[a-z0-9\\-]{1,40}")) {
            throw invalid("config.region must look like eu-central-1, not '" + region + "'");
        }
        URI endpoint = null;
        String raw = c.text("endpoint", "").strip();
        if (!raw.isEmpty()) {
            try {
                endpoint = new URI(raw);
            } catch (URISyntaxException e) {
                throw invalid("config.endpoint is not a URL: " + e.getMessage());
            }
            String scheme =
                    endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null) {
                throw invalid(
                        "config.endpoint must be an http(s) URL such as https://minio.example:9000, not '" + raw + "'");
            }
        }
        String keyId = c.text("accessKeyId", "").strip();
        String secret = c.secrets().get("secretAccessKey");
        if (keyId.isEmpty() != (secret == null || secret.isEmpty())) {
            throw invalid("config.accessKeyId and config.secretAccessKey go together: set both, or neither for"
                    + " anonymous access");
        }
        Object timeout = c.config().getOrDefault("timeoutSeconds", 30);
        if (!(timeout instanceof Number t) || t.intValue() < 1 || t.intValue() > 600) {
            throw invalid("config.timeoutSeconds must be 1 to 600, not " + timeout);
        }
        return new S3Settings(
                endpoint,
                region,
                bucket,
                keyId.isEmpty() ? null : keyId,
                secret,
                Boolean.TRUE.equals(c.config().get("pathStyle")),
                Duration.ofSeconds(t.intValue()));
    }

    /** The host every request goes to, for the outbound address policy. */
    String host() {
        if (endpoint != null) {
            return endpoint.getHost();
        }
        return (pathStyle ? "" : bucket + ".") + "s3." + region + ".amazonaws.com";
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException("CONFIG_INVALID", message, false);
    }
}
