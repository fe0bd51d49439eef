package dev.junction.connector.email;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.connector.TestResult;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Jakarta Mail session per connection. {@code send} opens an SMTP connection per message (SMTP
 * servers drop idle ones quickly); the IMAP store is opened on first use and reopened when the
 * server dropped it, and polls are serialised on it. Thread-safe.
 */
final class EmailSession implements ConnectorSession {
    private final EmailSettings settings;
    private final ConnectorContext context;
    private final Session mail;
    private Store store;

    EmailSession(EmailSettings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
        this.mail = Session.getInstance(settings.properties());
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        OperationInput in = OperationInput.of("email", operation, input);
        return switch (operation) {
            case "send" -> send(in, call);
            case "newMessages" -> newMessages(in);
            default ->
                throw new ConnectorException(
                        "OPERATION_NOT_FOUND",
                        "the email connector has the operations send and newMessages, not '%s'".formatted(operation),
                        false);
        };
    }

    private Map<String, Object> send(OperationInput in, CallContext call) throws ConnectorException {
        if (settings.smtpHost() == null) {
            throw new ConnectorException(
                    "CONFIG_INVALID", "this connection has no config.smtpHost, so it cannot send", false);
        }
        Outgoing.Built built = Outgoing.build(mail, in, settings.from(), call.idempotencyKey(), context.clock());
        context.addresses().check(settings.smtpHost());
        try (Transport smtp = mail.getTransport("smtp")) {
            smtp.connect(settings.smtpHost(), settings.smtpPort(), settings.username(), settings.password());
            smtp.sendMessage(built.message(), built.recipients().toArray(InternetAddress[]::new));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("messageId", built.message().getMessageID());
            out.put(
                    "accepted",
                    built.recipients().stream().map(InternetAddress::getAddress).toList());
            return out;
        } catch (MessagingException e) {
            throw MailErrors.of(e, "sending through %s:%d".formatted(settings.smtpHost(), settings.smtpPort()));
        }
    }

    private synchronized Map<String, Object> newMessages(OperationInput in) throws ConnectorException {
        try {
            return NewMessages.poll(store(), in);
        } catch (MessagingException e) {
            closeStore(); // a dropped connection is reopened on the next poll
            throw MailErrors.of(
                    e,
                    "reading folder '%s' on %s:%d"
                            .formatted(in.text("folder", "INBOX"), settings.imapHost(), settings.imapPort()));
        }
    }

    private synchronized Store store() throws ConnectorException, MessagingException {
        if (settings.imapHost() == null) {
            throw new ConnectorException(
                    "CONFIG_INVALID", "this connection has no config.imapHost, so it cannot read messages", false);
        }
        if (store != null && store.isConnected()) {
            return store;
        }
        closeStore();
        context.addresses().check(settings.imapHost());
        Store s = mail.getStore("imap");
        s.connect(settings.imapHost(), settings.imapPort(), settings.username(), settings.password());
        store = s;
        return s;
    }

    private synchronized void closeStore() {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException ignored) {
                // already broken: nothing to close cleanly
            }
            store = null;
        }
    }

    @Override
    public TestResult test() {
        long start = System.nanoTime();
        StringBuilder said = new StringBuilder();
        try {
            if (settings.smtpHost() != null) {
                context.addresses().check(settings.smtpHost());
                try (Transport smtp = mail.getTransport("smtp")) {
                    smtp.connect(settings.smtpHost(), settings.smtpPort(), settings.username(), settings.password());
                } catch (MessagingException e) {
                    throw MailErrors.of(
                            e, "connecting to SMTP %s:%d".formatted(settings.smtpHost(), settings.smtpPort()));
                }
                said.append("SMTP %s:%d accepted the connection".formatted(settings.smtpHost(), settings.smtpPort()));
            }
            if (settings.imapHost() != null) {
                synchronized (this) {
                    try {
                        store();
                    } catch (MessagingException e) {
                        throw MailErrors.of(
                                e, "connecting to IMAP %s:%d".formatted(settings.imapHost(), settings.imapPort()));
                    }
                }
                said.append(said.isEmpty() ? "" : "; ")
                        .append("IMAP %s:%d accepted the login".formatted(settings.imapHost(), settings.imapPort()));
            }
            return TestResult.ok(Duration.ofNanos(System.nanoTime() - start), said.toString());
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - start), e);
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return EmailConnector.DESCRIPTOR.operations();
    }

    @Override
    public void close() {
        closeStore();
    }
}
