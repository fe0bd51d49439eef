package dev.junction.connector.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The email connector against GreenMail's SMTP and IMAP servers in this JVM, on 127.0.0.1. */
class EmailConnectorTest {
    private static final byte[] PDF = {'%', 'P', 'D', 'F', 0, (byte) 0xff, 1, 2, 3};

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort()
            })
            .withConfiguration(GreenMailConfiguration.aConfig()
                    .withUser("ops@example.com", "ops", "pw-ops")
                    .withUser("feed@example.com", "feed", "pw-feed"));

    static Map<String, Object> config(Object... extra) {
        Map<String, Object> c = new HashMap<>(Map.of(
                "smtpHost", "127.0.0.1",
                "smtpPort", mail.getSmtp().getPort(),
                "smtpSecurity", "none",
                "imapHost", "127.0.0.1",
                "imapPort", mail.getImap().getPort(),
                "imapSecurity", "none",
                "username", "ops",
                "from", "Junction <junction@example.com>",
                "timeoutSeconds", 10));
        for (int i = 0; i < extra.length; i += 2) {
            c.put((String) extra[i], extra[i + 1]);
        }
        return c;
    }

    static ConnectorSession open(Map<String, Object> config, String password, AddressPolicy policy)
            throws ConnectorException {
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AddressPolicy addresses() {
                return policy;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return new EmailConnector()
                .open(new ConnectionConfig("default", "mail", config, Map.of("password", password)), context);
    }

    static CallContext call(String run) {
        return new CallContext(run, "mail", run + ":mail", Duration.ofSeconds(20));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> invoke(ConnectorSession s, String op, Map<String, Object> input, String run)
            throws ConnectorException {
        return (Map<String, Object>) s.invoke(op, input, call(run));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("items");
    }

    @Test
    void sendsTextHtmlAndAttachmentsThatArriveIntact() throws Exception {
        try (ConnectorSession s = open(config(), "pw-ops", AddressPolicy.allowingAll())) {
            Map<String, Object> sent = invoke(
                    s,
                    "send",
                    Map.of(
                            "to",
                            "feed@example.com",
                            "cc",
                            List.of("Ops Team <ops@example.com>"),
                            "bcc",
                            "audit@example.com",
                            "replyTo",
                            "support@example.com",
                            "subject",
                            "Order 42 — shipped ✓",
                            "text",
                            "Hello,\norder 42 is on its way.",
                            "html",
                            "<p>Hello, order <b>42</b> is on its way.</p>",
                            "headers",
                            Map.of("X-Junction-Flow", "orders"),
                            "attachments",
                            List.of(
                                    Map.of(
                                            "filename", "invoice.pdf",
                                            "contentType", "application/pdf",
                                            "content", Base64.getEncoder().encodeToString(PDF)),
                                    Map.of("filename", "notes.txt", "text", "héllo"))),
                    "run-1");
            assertThat(sent.get("accepted"))
                    .isEqualTo(List.of("feed@example.com", "ops@example.com", "audit@example.com"));
            assertThat(mail.waitForIncomingEmail(5000, 3)).isTrue();
            MimeMessage m = mail.getReceivedMessagesForDomain("example.com")[0];
            assertThat(m.getSubject()).isEqualTo("Order 42 — shipped ✓");
            assertThat(m.getHeader("X-Junction-Flow")).containsExactly("orders");
            assertThat(m.getReplyTo()[0].toString()).isEqualTo("support@example.com");
            assertThat(m.getHeader("Bcc")).as("bcc stays out of the headers").isNull();
            assertThat(m.getMessageID()).isEqualTo(sent.get("messageId")).endsWith("@example.com>");
            Multipart mixed = (Multipart) m.getContent();
            assertThat(mixed.getCount()).isEqualTo(3);
            Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
            assertThat(alternative.getBodyPart(0).getContent())
                    .as("lines travel as CRLF")
                    .isEqualTo("Hello,\r\norder 42 is on its way.");
            assertThat(alternative.getBodyPart(1).isMimeType("text/html")).isTrue();
            Part pdf = mixed.getBodyPart(1);
            assertThat(pdf.getFileName()).isEqualTo("invoice.pdf");
            assertThat(pdf.isMimeType("application/pdf")).isTrue();
            assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(PDF);
            assertThat(mixed.getBodyPart(2).getInputStream().readAllBytes())
                    .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));

            // and the same message as the IMAP feed of the recipient sees it
            try (ConnectorSession feed = open(config("username", "feed"), "pw-feed", AddressPolicy.allowingAll())) {
                Map<String, Object> item =
                        items(invoke(feed, "newMessages", Map.of(), "poll")).getFirst();
                assertThat(item)
                        .containsEntry("subject", "Order 42 — shipped ✓")
                        .containsEntry("from", "Junction <junction@example.com>")
                        .containsEntry("text", "Hello,\norder 42 is on its way.")
                        .containsEntry("html", "<p>Hello, order <b>42</b> is on its way.</p>");
                assertThat(item.get("to")).isEqualTo(List.of("feed@example.com"));
                assertThat(item.get("attachments"))
                        .isEqualTo(List.of(
                                Map.of("filename", "invoice.pdf", "contentType", "application/pdf", "size", (long)
                                        PDF.length),
                                Map.of("filename", "notes.txt", "contentType", "text/plain", "size", 6L)));
            }
        }
    }

    @Test
    void aRetriedSendKeepsItsMessageId() throws Exception {
        try (ConnectorSession s = open(config(), "pw-ops", AddressPolicy.allowingAll())) {
            Map<String, Object> input = Map.of("to", "feed@example.com", "subject", "x", "text", "y");
            Object first = invoke(s, "send", input, "run-7").get("messageId");
            assertThat(invoke(s, "send", input, "run-7").get("messageId")).isEqualTo(first);
            assertThat(invoke(s, "send", input, "run-8").get("messageId")).isNotEqualTo(first);
            Map<String, Object> nextInLoop = Map.of("to", "feed@example.com", "subject", "x", "text", "other item");
            assertThat(invoke(s, "send", nextInLoop, "run-7").get("messageId"))
                    .as("another mail of the same step (a foreach) is another message")
                    .isNotEqualTo(first);
        }
    }

    @Test
    void newMessagesEmitsEachMessageOnce() throws Exception {
        try (ConnectorSession sender = open(config(), "pw-ops", AddressPolicy.allowingAll());
                ConnectorSession feed = open(config("username", "feed"), "pw-feed", AddressPolicy.allowingAll())) {
            for (int i = 1; i <= 3; i++) {
                invoke(
                        sender,
                        "send",
                        Map.of("to", "feed@example.com", "subject", "m" + i, "text", "body " + i),
                        "r" + i);
            }
            Map<String, Object> in = new HashMap<>(Map.of("limit", 2));
            Map<String, Object> first = invoke(feed, "newMessages", in, "poll");
            assertThat(items(first)).extracting(i -> i.get("subject")).containsExactly("m1", "m2");
            assertThat(first).containsEntry("more", true);
            in.put("cursor", first.get("cursor"));
            Map<String, Object> second = invoke(feed, "newMessages", in, "poll");
            assertThat(items(second)).extracting(i -> i.get("subject")).containsExactly("m3");
            in.put("cursor", second.get("cursor"));
            assertThat(items(invoke(feed, "newMessages", in, "poll")))
                    .as("nothing twice")
                    .isEmpty();
            invoke(sender, "send", Map.of("to", "feed@example.com", "subject", "m4", "text", "body 4"), "r4");
            Map<String, Object> third = invoke(feed, "newMessages", in, "poll");
            assertThat(items(third)).extracting(i -> i.get("subject")).containsExactly("m4");
            assertThat(items(third).getFirst().get("uid")).isEqualTo(((Map<?, ?>) third.get("cursor")).get("lastUid"));
            assertThat(items(invoke(feed, "newMessages", Map.of("from", "now"), "poll")))
                    .isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsAuthFailedWithoutTheSecret() throws Exception {
        for (Map<String, Object> c : List.of(config("imapHost", null), config("smtpHost", null))) {
            c.values().removeIf(v -> v == null);
            try (ConnectorSession s = open(c, "not-the-password", AddressPolicy.allowingAll())) {
                TestResult r = s.test();
                assertThat(r.code()).as(c + ": " + r.message()).isEqualTo("AUTH_FAILED");
                assertThat(r.message()).doesNotContain("not-the-password");
            }
        }
        try (ConnectorSession s = open(config(), "pw-ops", AddressPolicy.allowingAll())) {
            assertThat(s.test().ok()).isTrue();
        }
    }

    @Test
    void anUnreachableServerIsConnectionAndABlockedAddressIsRefused() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> send = Map.of("to", "feed@example.com", "subject", "x", "text", "y");
        try (ConnectorSession s =
                open(config("smtpPort", closed, "imapPort", closed), "pw-ops", AddressPolicy.allowingAll())) {
            assertThatThrownBy(() -> invoke(s, "send", send, "r")).hasFieldOrPropertyWithValue("code", "CONNECTION");
            assertThatThrownBy(() -> invoke(s, "newMessages", Map.of(), "r"))
                    .hasFieldOrPropertyWithValue("code", "CONNECTION");
        }
        try (ConnectorSession s = open(config(), "pw-ops", AddressPolicy.blockingInternal(List.of()))) {
            assertThatThrownBy(() -> invoke(s, "send", send, "r"))
                    .hasFieldOrPropertyWithValue("code", "ADDRESS_BLOCKED");
            assertThatThrownBy(() -> invoke(s, "newMessages", Map.of(), "r"))
                    .hasFieldOrPropertyWithValue("code", "ADDRESS_BLOCKED");
        }
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void anUntrustedCertificateOrAMissingStarttlsIsRefused() throws Exception {
        Map<String, Object> send = Map.of("to", "feed@example.com", "subject", "x", "text", "y");
        // GreenMail's SMTPS certificate is self-signed: not trusted by the JDK
        Map<String, Object> tls =
                config("smtpSecurity", "tls", "smtpPort", mail.getSmtps().getPort());
        // its plain SMTP server offers no usable STARTTLS, which starttls requires
        Map<String, Object> starttls = config("smtpSecurity", "starttls");
        for (Map<String, Object> c : List.of(tls, starttls)) {
            try (ConnectorSession s = open(c, "pw-ops", AddressPolicy.allowingAll())) {
                assertThatThrownBy(() -> invoke(s, "send", send, "r"))
                        .as(String.valueOf(c.get("smtpSecurity")))
                        .hasFieldOrPropertyWithValue("code", "TLS_FAILED");
            }
        }
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void badInputIsRefusedNamingTheField() throws Exception {
        try (ConnectorSession s = open(config(), "pw-ops", AddressPolicy.allowingAll())) {
            assertThatThrownBy(() -> invoke(
                            s,
                            "send",
                            Map.of(
                                    "to",
                                    "a@example.com",
                                    "text",
                                    "y",
                                    "headers",
                                    Map.of("X-Evil", "a\r\nBcc: x@evil.example")),
                            "r"))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("headers.X-Evil");
                    });
            assertThatThrownBy(() -> invoke(s, "send", Map.of("to", "not an address", "text", "y"), "r"))
                    .hasMessageContaining("input.to");
            assertThatThrownBy(() -> invoke(s, "send", Map.of("to", "a@example.com", "subject", "no body"), "r"))
                    .hasFieldOrPropertyWithValue("code", "INPUT_INVALID");
            assertThatThrownBy(() -> invoke(s, "newMessages", Map.of("folder", "NoSuchFolder"), "r"))
                    .hasFieldOrPropertyWithValue("code", "NOT_FOUND");
        }
        assertThat(mail.getReceivedMessages()).isEmpty();
    }
}
