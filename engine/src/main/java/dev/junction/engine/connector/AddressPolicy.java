package dev.junction.engine.connector;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which addresses outbound calls may reach (SSRF protection). By default loopback, link-local
 * (including cloud metadata at 169.254.169.254), private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * carrier-grade NAT (100.64/10), unspecified and multicast addresses are blocked; an allowlist of
 * CIDR ranges ({@code 10.1.0.0/16}, {@code 127.0.0.1/32}) and host names ({@code erp.internal},
 * {@code *.corp.example}) opens exceptions. Every address a host name resolves to must pass.
 *
 * <p>The check resolves the name before the client connects, so a DNS answer that changes between
 * the two (rebinding) is not caught; a network-level egress policy closes that gap.
 */
public final class AddressPolicy {
    private final boolean blockPrivate;
    private final List<Cidr> allowedRanges;
    private final List<String> allowedHosts;
    /** Hosts that passed recently, until when (nanoTime): the check resolves names, so it is not free. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> passed =
            new java.util.concurrent.ConcurrentHashMap<>();

    static final long PASS_CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    static final int PASS_CACHE_SIZE = 4096;

    private AddressPolicy(boolean blockPrivate, List<Cidr> ranges, List<String> hosts) {
        this.blockPrivate = blockPrivate;
        this.allowedRanges = List.copyOf(ranges);
        this.allowedHosts = List.copyOf(hosts);
    }

    /** Blocks internal ranges except the comma- or list-given allowlist entries. */
    public static AddressPolicy blockingInternal(List<String> allow) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String raw : allow) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return allowingAll();
            }
            Cidr cidr = Cidr.parse(entry);
            if (cidr != null) {
                ranges.add(cidr);
            } else {
                hosts.add(entry);
            }
        }
        return new AddressPolicy(true, ranges, hosts);
    }

    /** Allows everything (tests, or an allowlist of {@code *}). */
    public static AddressPolicy allowingAll() {
        return new AddressPolicy(false, List.of(), List.of());
    }

    /** Refuses {@code host} unless it and every address it resolves to are allowed. */
    public void check(String host) throws ConnectorException {
        if (!blockPrivate || host == null) {
            return;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (hostAllowed(name)) {
            return;
        }
        long now = System.nanoTime();
        Long until = passed.get(name);
        if (until != null && now - until < 0) {
            return; // checked within the last 30 s, as long as the JDK caches a DNS answer
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new ConnectorException("CONNECTION", "cannot resolve host '%s'".formatted(host), true);
        }
        for (InetAddress address : addresses) {
            if (internal(address) && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
                throw new ConnectorException(
                        "ADDRESS_BLOCKED",
                        ("'%s' resolves to %s, an internal address; outbound calls to loopback, link-local and"
                                        + " private ranges are blocked unless allowlisted (JUNCTION_OUTBOUND_ALLOW)")
                                .formatted(host, address.getHostAddress()),
                        false);
            }
        }
        if (passed.size() >= PASS_CACHE_SIZE) {
            passed.clear();
        }
        passed.put(name, now + PASS_CACHE_NANOS);
    }

    private boolean hostAllowed(String name) {
        for (String h : allowedHosts) {
            if (h.equals(name) || (h.startsWith("*.") && name.endsWith(h.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An address range such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a /32 or /128. */
    record Cidr(BigInteger network, int bits, int length) {
        static Cidr parse(String text) {
            String address = text;
            int prefix = -1;
            int slash = text.indexOf('/');
            if (slash > 0) {
                address = text.substring(0, slash);
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (!address.matches("[0-9.]+") && !address.contains(":")) {
                return null; // a host name
            }
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                int length = bytes.length * 8;
                int bits = prefix < 0 ? length : Math.min(prefix, length);
                return new Cidr(mask(new BigInteger(1, bytes), bits, length), bits, length);
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean contains(InetAddress a) {
            byte[] bytes = a.getAddress();
            return bytes.length * 8 == length
                    && mask(new BigInteger(1, bytes), bits, length).equals(network);
        }

        private static BigInteger mask(BigInteger value, int bits, int length) {
            return value.shiftRight(length - bits);
        }
    }
}
