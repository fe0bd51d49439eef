package dev.junction.server.ui;

import dev.junction.engine.error.JunctionException;
import dev.junction.server.api.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Errors of the web UI's pages and actions become HTML, not problem details: for an htmx action
 * the server's message in the action's result region, for a page an error page with the layout.
 * The message is the API's own (code and detail), so the UI explains exactly what the API would.
 */
@ControllerAdvice(basePackageClasses = UiErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiErrors {
    private final Pages pages;

    UiErrors(Pages pages) {
        this.pages = pages;
    }

    @ExceptionHandler(JunctionException.class)
    ResponseEntity<String> junction(JunctionException e, HttpServletRequest request) {
        HttpStatus status =
                switch (e.code()) {
                    case FLOW_NOT_FOUND, RUN_NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case INPUT_INVALID, FLOW_INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
                    default -> HttpStatus.CONFLICT;
                };
        return answer(request, status, e.code().name(), e.getMessage());
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<String> problem(ApiProblem e, HttpServletRequest request) {
        return answer(request, e.status(), e.code(), e.getMessage());
    }

    private ResponseEntity<String> answer(HttpServletRequest request, HttpStatus status, String code, String detail) {
        String text = code + ": " + detail;
        if (request.getHeader("HX-Request") != null) {
            return pages.message(status, true, text);
        }
        return pages.page(status, "error.jte", status.getReasonPhrase(), UiCaller.of(request), Map.of("text", text));
    }
}
