package dev.junction.server.core;

import dev.junction.engine.flow.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * The operating interface's settings (ARCHITECTURE.md "Operating interface"), read from the
 * environment once at start-up. {@code lease} is how long a run claimed by this node stays
 * its own without renewal (a dead node's runs are taken over after it). {@code strictDurability}
 * makes every write power-safe, step checkpoints included (see {@code Durability}). {@code flowEnv} holds {@code JUNCTION_ENV_<NAME>} variables, which
 * flows see as {@code env.<NAME>}. {@code outboundAllow} ({@code JUNCTION_OUTBOUND_ALLOW}) lists the CIDR
 * ranges and host names outbound calls may reach although they are internal (loopback, private,
 * link-local), which are blocked otherwise; {@code *} allows everything. {@code publicUrl}
 * ({@code JUNCTION_PUBLIC_URL}) is the address browsers reach this server at, without a trailing
 * slash, or null to use {@code http://localhost:<port>}; OAuth redirects come back to it.
 */
public record JunctionSettings(
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String masterKey,
        String masterKeyPrevious,
        String adminApiKey,
        String nodeId,
        long maxBodyBytes,
        Duration lease,
        boolean strictDurability,
        Map<String, String> flowEnv,
        java.util.List<String> outboundAllow,
        String publicUrl) {

    public static JunctionSettings from(Environment env, Map<String, String> processEnv) {
        Map<String, String> flowEnv = new LinkedHashMap<>();
        processEnv.forEach((k, v) -> {
            if (k.startsWith("JUNCTION_ENV_") && k.length() > "JUNCTION_ENV_".length()) {
                flowEnv.put(k.substring("JUNCTION_ENV_".length()), v);
            }
        });
        return new JunctionSettings(
                Path.of(env.getProperty("JUNCTION_DATA_DIR", "./data")),
                blankToNull(env.getProperty("JUNCTION_DB_URL")),
                blankToNull(env.getProperty("JUNCTION_DB_USER")),
                blankToNull(env.getProperty("JUNCTION_DB_PASSWORD")),
                blankToNull(env.getProperty("JUNCTION_MASTER_KEY")),
                blankToNull(env.getProperty("JUNCTION_MASTER_KEY_PREVIOUS")),
                blankToNull(env.getProperty("JUNCTION_ADMIN_API_KEY")),
                env.getProperty("JUNCTION_NODE_ID", defaultNodeId()),
                Long.parseLong(env.getProperty("JUNCTION_MAX_BODY_BYTES", String.valueOf(1024 * 1024))),
                lease(env.getProperty("JUNCTION_LEASE", "30s")),
                strict(env.getProperty("JUNCTION_DURABILITY", "balanced")),
                flowEnv,
                java.util.Arrays.stream(
                                env.getProperty("JUNCTION_OUTBOUND_ALLOW", "").split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList(),
                publicUrl(env.getProperty("JUNCTION_PUBLIC_URL")));
    }

    private static String publicUrl(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String url = text.strip().replaceAll("/+$", "");
        try {
            java.net.URI uri = new java.net.URI(url);
            if (!java.util.List.of("http", "https").contains(String.valueOf(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new java.net.URISyntaxException(url, "not an http(s) URL without query");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(
                    "JUNCTION_PUBLIC_URL must be the server's http(s) base URL such as https://junction.example.com,"
                            + " was '" + text + "'");
        }
        return url;
    }

    private static String defaultNodeId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "-"
                    + ProcessHandle.current().pid();
        } catch (java.net.UnknownHostException e) {
            return "node-" + ProcessHandle.current().pid();
        }
    }

    private static boolean strict(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "balanced" -> false;
            case "strict" -> true;
            default ->
                throw new IllegalStateException(
                        "JUNCTION_DURABILITY must be 'balanced' (the default) or 'strict', was '" + text + "'");
        };
    }

    private static Duration lease(String text) {
        Duration lease = Durations.parse(text.strip())
                .orElseThrow(() ->
                        new IllegalStateException("JUNCTION_LEASE must be a duration such as 30s, was '" + text + "'"));
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("JUNCTION_LEASE must be at least 1s, was " + text);
        }
        return lease;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
