package dev.junction.connector.email;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.json.Json;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the MIME message of a {@code send} from its input: text and/or HTML body
 * ({@code multipart/alternative}), attachments ({@code multipart/mixed}), Reply-To and custom
 * headers. A call with an idempotency key gets a Message-ID derived from that key and the input, so a
 * retried send carries the same Message-ID and receivers can drop the duplicate, while the different
 * mails of one step in a {@code foreach} (one key) get different ones.
 */
final class Outgoing {
    static final long MAX_ATTACHMENT_BYTES = 25L * 1024 * 1024;
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,76}");
    /** Headers the input sets through its own fields, or that the MIME structure owns. */
    private static final Set<String> RESERVED = Set.of(
            "from",
            "to",
            "cc",
            "bcc",
            "subject",
            "reply-to",
            "date",
            "message-id",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
            "content-disposition");

    private Outgoing() {}

    /** The message and its recipients (to, cc and bcc). */
    record Built(MimeMessage message, List<InternetAddress> recipients) {}

    static Built build(Session session, OperationInput in, String defaultFrom, String idempotencyKey, Clock clock)
            throws ConnectorException {
        String from = in.text("from", defaultFrom);
        if (from == null || from.isBlank()) {
            throw in.invalid("from", "is required when the connection has no config.from");
        }
        List<InternetAddress> to = addresses(in, "to");
        List<InternetAddress> cc = addresses(in, "cc");
        List<InternetAddress> bcc = addresses(in, "bcc");
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw in.invalid("to", "is required: at least one recipient in to, cc or bcc");
        }
        String text = in.text("text", null);
        String html = in.text("html", null);
        if (text == null && html == null) {
            throw in.invalid("text", "or input.html is required: the message needs a body");
        }
        InternetAddress sender = address(in, "from", from);
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                if (idempotencyKey == null) {
                    super.updateMessageID();
                } else {
                    setHeader(
                            "Message-ID",
                            messageId(idempotencyKey + "\n" + Json.write(in.fields()), sender.getAddress()));
                }
            }
        };
        try {
            m.setFrom(sender);
            m.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
            m.setRecipients(Message.RecipientType.CC, cc.toArray(InternetAddress[]::new));
            m.setRecipients(Message.RecipientType.BCC, bcc.toArray(InternetAddress[]::new));
            List<InternetAddress> replyTo = addresses(in, "replyTo");
            if (!replyTo.isEmpty()) {
                m.setReplyTo(replyTo.toArray(InternetAddress[]::new));
            }
            m.setSubject(in.text("subject", ""), "UTF-8");
            m.setSentDate(Date.from(clock.instant()));
            headers(in, m);
            List<MimeBodyPart> attachments = attachments(in);
            if (attachments.isEmpty()) {
                fill(m, text, html);
            } else {
                MimeBodyPart body = new MimeBodyPart();
                fill(body, text, html);
                MimeMultipart mixed = new MimeMultipart("mixed");
                mixed.addBodyPart(body);
                for (MimeBodyPart a : attachments) {
                    mixed.addBodyPart(a);
                }
                m.setContent(mixed);
            }
            m.saveChanges();
        } catch (MessagingException e) {
            throw new ConnectorException(
                    "INPUT_INVALID", "cannot build the message: " + e.getMessage(), false, null, null, e);
        }
        List<InternetAddress> all = new ArrayList<>(to);
        all.addAll(cc);
        all.addAll(bcc);
        return new Built(m, all);
    }

    private static void fill(MimePart part, String text, String html) throws MessagingException {
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, "UTF-8");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(html, "UTF-8", "html");
            alternative.addBodyPart(plain); // the last part is the preferred one
            alternative.addBodyPart(rich);
            part.setContent(alternative);
        } else if (html != null) {
            part.setText(html, "UTF-8", "html");
        } else {
            part.setText(text, "UTF-8");
        }
    }

    private static List<MimeBodyPart> attachments(OperationInput in) throws ConnectorException, MessagingException {
        Object raw = in.raw("attachments");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw in.invalid("attachments", "must be a list of {filename, contentType, content (base64) or text}");
        }
        List<MimeBodyPart> parts = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < list.size(); i++) {
            String field = "attachments[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> a)
                    || !(a.get("filename") instanceof String filename)
                    || filename.isBlank()) {
                throw in.invalid(field, "must be an object with a filename, and content (base64) or text");
            }
            String type = a.get("contentType") instanceof String t ? t : null;
            byte[] bytes;
            if (a.get("content") instanceof String b64 && a.get("text") == null) {
                try {
                    bytes = Base64.getMimeDecoder().decode(b64);
                } catch (IllegalArgumentException e) {
                    throw in.invalid(field + ".content", "is not valid base64: " + e.getMessage());
                }
                type = type == null ? "application/octet-stream" : type;
            } else if (a.get("text") instanceof String t && a.get("content") == null) {
                bytes = t.getBytes(StandardCharsets.UTF_8);
                type = type == null ? "text/plain; charset=UTF-8" : type;
            } else {
                throw in.invalid(field, "needs exactly one of content (base64) and text");
            }
            total += bytes.length;
            if (total > MAX_ATTACHMENT_BYTES) {
                throw new ConnectorException(
                        "PAYLOAD_TOO_LARGE",
                        "the attachments exceed %d bytes at %s ('%s')".formatted(MAX_ATTACHMENT_BYTES, field, filename),
                        false);
            }
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
            part.setFileName(filename);
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            parts.add(part);
        }
        return parts;
    }

    private static void headers(OperationInput in, MimeMessage m) throws ConnectorException, MessagingException {
        Object raw = in.raw("headers");
        if (raw == null) {
            return;
        }
        if (!(raw instanceof Map<?, ?> headers)) {
            throw in.invalid("headers", "must be an object of header name to text");
        }
        for (Map.Entry<?, ?> h : headers.entrySet()) {
            String name = String.valueOf(h.getKey());
            String field = "headers." + name;
            if (!HEADER_NAME.matcher(name).matches()) {
                throw in.invalid(field, "is not a header name (printable ASCII without ':' or spaces)");
            }
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw in.invalid(
                        field, "is set by the connector; use the input field of that name (to, cc, replyTo, ...)");
            }
            if (!(h.getValue() instanceof String value) || value.contains("\r") || value.contains("\n")) {
                throw in.invalid(field, "must be text on one line");
            }
            m.setHeader(name, value);
        }
    }

    private static List<InternetAddress> addresses(OperationInput in, String field) throws ConnectorException {
        List<InternetAddress> out = new ArrayList<>();
        for (String s : in.texts(field)) {
            out.add(address(in, field, s));
        }
        return out;
    }

    private static InternetAddress address(OperationInput in, String field, String text) throws ConnectorException {
        try {
            InternetAddress a = new InternetAddress(text, true);
            a.validate();
            return a;
        } catch (AddressException e) {
            throw in.invalid(field, "holds '%s', not an email address (%s)".formatted(text, e.getMessage()));
        }
    }

    private static String messageId(String identity, String sender) {
        int at = sender.lastIndexOf('@');
        String domain = at < 0 ? "junction.invalid" : sender.substring(at + 1);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(hash, 0, 16) + ".junction@" + domain + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
