package dev.junction.server.audit;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.store.audit.AuditRecord;
import dev.junction.store.audit.JdbcAuditLog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit} (filter by actor, action, target prefix, time; cursor pagination; CSV
 * with {@code format=csv} or {@code Accept: text/csv}) and {@code POST /api/v1/audit/verify}, which
 * walks the workspace's hash chain and reports the first broken link.
 */
@RestController
class AuditController {
    private final JdbcAuditLog log;

    AuditController(JdbcAuditLog log) {
        this.log = log;
    }

    @GetMapping("/api/v1/audit")
    ResponseEntity<?> list(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String target,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String format,
            @RequestHeader(value = "Accept", required = false) String accept) {
        if (limit < 1 || limit > 1000) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST, "BAD_REQUEST", "limit must be from 1 to 1000", Map.of("field", "limit"));
        }
        JdbcAuditLog.Page page = log.list(
                workspace,
                new JdbcAuditLog.Query(
                        actor,
                        action,
                        target,
                        instant("since", since),
                        instant("until", until),
                        cursor(cursor),
                        limit));
        boolean csv = "csv".equals(format) || (format == null && accept != null && accept.contains("text/csv"));
        if (csv) {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                    .header("Content-Disposition", "attachment; filename=\"audit.csv\"")
                    .header(
                            "Junction-Next-Cursor",
                            page.nextCursor() == null ? "" : page.nextCursor().toString())
                    .body(AuditCsv.of(page.items()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(AuditController::view).toList());
        body.put(
                "nextCursor",
                page.nextCursor() == null ? null : page.nextCursor().toString());
        return ResponseEntity.ok(body);
    }

    @PostMapping("/api/v1/audit/verify")
    Map<String, Object> verify(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        JdbcAuditLog.Verification v = log.verify(workspace);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", v.firstBreak().isEmpty());
        body.put("checked", v.checked());
        v.firstBreak().ifPresent(b -> body.put("firstBroken", Map.of("seq", b.seq(), "reason", b.reason())));
        return body;
    }

    static Map<String, Object> view(AuditRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", r.seq());
        m.put("at", r.at().toString());
        m.put("actor", r.actor());
        m.put("action", r.action());
        m.put("target", r.target());
        m.put("status", r.status());
        m.put("beforeDigest", r.beforeDigest());
        m.put("afterDigest", r.afterDigest());
        m.put("hash", r.hash());
        return m;
    }

    private static Long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "cursor '%s' is not a cursor of this list; use nextCursor from the previous page".formatted(cursor),
                    Map.of("field", "cursor"));
        }
    }

    private static Instant instant(String field, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "%s '%s' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z".formatted(field, s),
                    Map.of("field", field));
        }
    }

    /** Keeps the list's order of columns for CSV. */
    static final List<String> COLUMNS =
            List.of("seq", "at", "actor", "action", "target", "status", "beforeDigest", "afterDigest", "hash");
}
