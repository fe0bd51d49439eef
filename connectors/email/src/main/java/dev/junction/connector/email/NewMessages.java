package dev.junction.connector.email;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pollable {@code newMessages} feed: messages of one IMAP folder above the cursor's UID, oldest
 * first, read without setting {@code \Seen}. The cursor is {@code {uidValidity, lastUid}}; when the
 * server reports a new UIDVALIDITY (the folder was recreated), the feed starts over from the first
 * message.
 */
final class NewMessages {
    private NewMessages() {}

    static Map<String, Object> poll(Store store, OperationInput in) throws ConnectorException, MessagingException {
        String name = in.text("folder", "INBOX");
        int limit = (int) in.number("limit", 100, 1, 1000);
        String from = in.text("from", "start");
        if (!from.equals("start") && !from.equals("now")) {
            throw in.invalid("from", "must be 'start' (every message in the folder) or 'now' (only later ones)");
        }
        long[] cursor = cursor(in);
        Folder folder = store.getFolder(name);
        folder.open(Folder.READ_ONLY);
        try {
            UIDFolder uids = (UIDFolder) folder;
            long validity = uids.getUIDValidity();
            boolean sameFolder = cursor != null && cursor[0] == validity;
            long after = sameFolder ? cursor[1] : 0;
            if (cursor == null && from.equals("now")) {
                Message[] all = folder.getMessageCount() == 0
                        ? new Message[0]
                        : new Message[] {folder.getMessage(folder.getMessageCount())};
                long last = all.length == 0 ? 0 : uids.getUID(all[0]);
                return answer(List.of(), validity, last, false);
            }
            Message[] found = uids.getMessagesByUID(after + 1, UIDFolder.LASTUID);
            FetchProfile uidsOnly = new FetchProfile();
            uidsOnly.add(UIDFolder.FetchProfileItem.UID);
            folder.fetch(found, uidsOnly); // one round trip; envelopes only for the page taken below
            List<Message> fresh = new ArrayList<>();
            for (Message m : found) {
                if (m != null && uids.getUID(m) > after) { // "n:*" also answers the last message when all are below n
                    fresh.add(m);
                }
            }
            fresh.sort(Comparator.comparingLong(m -> uid(uids, m)));
            List<Object> items = new ArrayList<>();
            List<Message> page = fresh.subList(0, Math.min(limit, fresh.size()));
            FetchProfile envelopes = new FetchProfile();
            envelopes.add(FetchProfile.Item.ENVELOPE);
            folder.fetch(page.toArray(Message[]::new), envelopes);
            long last = after;
            for (Message m : page) {
                long uid = uids.getUID(m);
                items.add(item(uid, m));
                last = uid;
            }
            return answer(items, validity, last, fresh.size() > limit);
        } finally {
            folder.close(false);
        }
    }

    private static long uid(UIDFolder uids, Message m) {
        try {
            return uids.getUID(m);
        } catch (MessagingException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Map<String, Object> answer(List<Object> items, long validity, long lastUid, boolean more) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("cursor", Map.of("uidValidity", validity, "lastUid", lastUid));
        out.put("more", more);
        return out;
    }

    private static long[] cursor(OperationInput in) throws ConnectorException {
        Object raw = in.raw("cursor");
        if (raw == null) {
            return null;
        }
        if (raw instanceof Map<?, ?> m
                && m.get("uidValidity") instanceof Number v
                && m.get("lastUid") instanceof Number u) {
            return new long[] {v.longValue(), u.longValue()};
        }
        throw in.invalid(
                "cursor", "must be the {uidValidity, lastUid} a previous newMessages call answered, not " + raw);
    }

    private static Map<String, Object> item(long uid, Message m) throws MessagingException, ConnectorException {
        Body body = new Body();
        try {
            body.walk(m);
        } catch (IOException e) {
            throw MailErrors.fail("CONNECTION", "reading message UID %d: %s".formatted(uid, e.getMessage()), true, e);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("uid", uid);
        String[] id = m.getHeader("Message-ID");
        item.put("messageId", id == null ? null : id[0]);
        item.put("from", addresses(m.getFrom()).stream().findFirst().orElse(null));
        item.put("to", addresses(m.getRecipients(Message.RecipientType.TO)));
        item.put("cc", addresses(m.getRecipients(Message.RecipientType.CC)));
        item.put("subject", m.getSubject());
        item.put(
                "date",
                m.getSentDate() == null ? null : m.getSentDate().toInstant().toString());
        item.put("text", body.text);
        item.put("html", body.html);
        item.put("attachments", body.attachments);
        return item;
    }

    private static List<String> addresses(Address[] list) {
        if (list == null) {
            return List.of();
        }
        return Arrays.stream(list)
                .map(a -> a instanceof InternetAddress i ? i.toUnicodeString() : a.toString())
                .toList();
    }

    /** The first text/plain and text/html parts, and every attachment's name, type and size. */
    private static final class Body {
        String text;
        String html;
        final List<Object> attachments = new ArrayList<>();

        void walk(Part p) throws MessagingException, IOException {
            if (p.isMimeType("multipart/*")) {
                Multipart mp = (Multipart) p.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    walk(mp.getBodyPart(i));
                }
                return;
            }
            boolean attachment = p.getFileName() != null || Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition());
            if (!attachment && text == null && p.isMimeType("text/plain")) {
                text = lines(p);
            } else if (!attachment && html == null && p.isMimeType("text/html")) {
                html = lines(p);
            } else {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("filename", p.getFileName());
                a.put("contentType", baseType(p.getContentType()));
                try (InputStream in = p.getInputStream()) {
                    a.put("size", in.transferTo(OutputStream.nullOutputStream()));
                }
                attachments.add(a);
            }
        }

        /** A text part with the CRLF line ends of MIME turned into the '\n' of JSON text. */
        private static String lines(Part p) throws MessagingException, IOException {
            return String.valueOf(p.getContent()).replace("\r\n", "\n");
        }

        private static String baseType(String contentType) {
            try {
                return new ContentType(contentType).getBaseType().toLowerCase(java.util.Locale.ROOT);
            } catch (ParseException e) {
                return contentType;
            }
        }
    }
}
