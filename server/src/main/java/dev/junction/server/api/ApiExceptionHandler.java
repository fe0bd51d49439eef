package dev.junction.server.api;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowInvalidException;
import dev.junction.engine.flow.FlowProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where errors become answers: RFC 9457 problem details with a stable {@code code}.
 * Unexpected exceptions are logged with their stack trace and answered with a 500 that reveals
 * nothing internal.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> problem(ApiProblem e) {
        return ResponseEntity.status(e.status()).body(e.toProblemDetail());
    }

    @ExceptionHandler(FlowInvalidException.class)
    ResponseEntity<ProblemDetail> flowInvalid(FlowInvalidException e) {
        List<Map<String, Object>> errors =
                e.problems().stream().map(ApiExceptionHandler::describe).toList();
        FlowProblem first = e.problems().getFirst();
        return ResponseEntity.unprocessableContent()
                .body(ApiProblem.detail(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        ErrorCode.FLOW_INVALID.name(),
                        e.getMessage(),
                        Map.of(
                                "line",
                                first.line(),
                                "column",
                                first.column(),
                                "field",
                                first.field(),
                                "errors",
                                errors)));
    }

    private static Map<String, Object> describe(FlowProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", p.line());
        m.put("column", p.column());
        m.put("field", p.field());
        m.put("message", p.message());
        if (p.expected() != null) {
            m.put("expected", p.expected());
        }
        return m;
    }

    /**
     * The same answers for code outside Spring MVC's dispatcher (the webhook filter): a problem,
     * an engine error or an unexpected exception.
     */
    public static ResponseEntity<ProblemDetail> answer(Exception e) {
        return switch (e) {
            case ApiProblem p -> ResponseEntity.status(p.status()).body(p.toProblemDetail());
            case JunctionException j -> junctionAnswer(j);
            default -> unexpectedAnswer(e);
        };
    }

    @ExceptionHandler(JunctionException.class)
    ResponseEntity<ProblemDetail> junction(JunctionException e) {
        return junctionAnswer(e);
    }

    private static ResponseEntity<ProblemDetail> junctionAnswer(JunctionException e) {
        HttpStatus status =
                switch (e.code()) {
                    case FLOW_NOT_FOUND, RUN_NOT_FOUND, WEBHOOK_NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case FLOW_CONFLICT,
                            FLOW_DISABLED,
                            RUN_FINISHED,
                            RUN_NOT_FINISHED,
                            REPLAY_INVALID,
                            REPLAY_MISMATCH -> HttpStatus.CONFLICT;
                    case FLOW_INVALID, INPUT_INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
                    case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
                    case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
                    default -> HttpStatus.BAD_REQUEST;
                };
        return switch (e.code()) {
            case UNAVAILABLE -> unavailable(e);
            case INTERNAL -> {
                LOG.error("internal error", e);
                yield ResponseEntity.status(status)
                        .body(ApiProblem.detail(
                                status, "INTERNAL", "an internal error occurred; it has been logged", Map.of()));
            }
            default ->
                ResponseEntity.status(status)
                        .body(ApiProblem.detail(status, e.code().name(), e.getMessage(), Map.of()));
        };
    }

    /** 503 with {@code Retry-After}: the caller may retry; nothing was accepted. */
    public static ResponseEntity<ProblemDetail> unavailable(JunctionException e) {
        LOG.warn("answering 503: {}", e.getMessage());
        long seconds = Math.max(1, e.retryAfter().map(d -> d.toSeconds()).orElse(5L));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .body(ApiProblem.detail(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ErrorCode.UNAVAILABLE.name(),
                        "the database is unavailable, so nothing was accepted; retry after " + seconds + "s",
                        Map.of()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        return unexpectedAnswer(e);
    }

    private static ResponseEntity<ProblemDetail> unexpectedAnswer(Exception e) {
        LOG.error("unexpected error", e);
        return ResponseEntity.internalServerError()
                .body(ApiProblem.detail(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        ErrorCode.INTERNAL.name(),
                        "an internal error occurred; it has been logged",
                        Map.of()));
    }

    /** Framework errors (unknown route, wrong method, unsupported media type …) get a code too. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail p
                && (p.getProperties() == null || !p.getProperties().containsKey("code"))) {
            String code =
                    switch (statusCode.value()) {
                        case 404 -> "NOT_FOUND";
                        case 405 -> "METHOD_NOT_ALLOWED";
                        case 406 -> "NOT_ACCEPTABLE";
                        case 413 -> "PAYLOAD_TOO_LARGE";
                        case 415 -> "UNSUPPORTED_MEDIA_TYPE";
                        default -> statusCode.is4xxClientError() ? "BAD_REQUEST" : "INTERNAL";
                    };
            p.setProperty("code", code);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}
