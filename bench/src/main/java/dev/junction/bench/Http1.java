package dev.junction.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The little of HTTP/1.1 the harness needs on a keep-alive connection: read one message head
 * (start line and headers) and its body (Content-Length or chunked). Not a general parser: it
 * is the benchmark's own load generator and sink, so it must cost as little CPU as possible.
 */
final class Http1 {
    private Http1() {}

    /** One message as read: the start line, the body, and whether the peer will close. */
    record Message(String startLine, byte[] body, boolean close) {
        int status() {
            return Integer.parseInt(startLine.substring(9, 12));
        }
    }

    /** Reads one message; null at a clean end of stream before any byte. */
    static Message read(InputStream in) throws IOException {
        String start = line(in);
        if (start == null) {
            return null;
        }
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        byte[] body;
        if (chunked) {
            body = chunked(in);
        } else if (length > 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("the connection ended inside a body");
            }
        } else {
            body = new byte[0];
        }
        return new Message(start, body, close);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("the connection ended inside a chunked body");
            }
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                    // trailers: ignored
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            line(in);
        }
    }

    /** A line without its CRLF; null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    static void respond(OutputStream out, int status, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + " OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
