package dev.junction.engine.exec;

import java.util.Map;

/** What a {@code respond} step answers the webhook caller. */
public record WebhookAnswer(int status, Map<String, String> headers, Object body) {
    public WebhookAnswer {
        headers = Map.copyOf(headers);
    }
}
