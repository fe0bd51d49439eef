package dev.junction.server.ui;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Renders the web UI's templates into answers: whole pages (with the layout's navigation and user
 * menu, from {@link UiCaller}) and fragments for htmx. Answers are never cached, since they show
 * one user's view of live data. Thread-safe.
 */
@Component
class Pages {
    private final TemplateEngine templates;

    Pages(TemplateEngine templates) {
        this.templates = templates;
    }

    /** A whole page: {@code template} gets {@code params} plus {@code caller} and {@code title}. */
    ResponseEntity<String> page(
            HttpStatus status, String template, String title, UiCaller caller, Map<String, ?> params) {
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("caller", caller);
        all.put("title", title);
        return html(status, template, all);
    }

    /** A fragment for htmx to swap in, or a page without the layout (sign-in). */
    ResponseEntity<String> html(HttpStatus status, String template, Map<String, ?> params) {
        StringOutput out = new StringOutput();
        templates.render(template, new LinkedHashMap<String, Object>(params), out);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .body(out.toString());
    }

    /** A short message for an action's result region ({@code alert}: an error, else a status). */
    ResponseEntity<String> message(HttpStatus status, boolean alert, String text) {
        return html(status, "message.jte", Map.of("alert", alert, "text", text));
    }
}
