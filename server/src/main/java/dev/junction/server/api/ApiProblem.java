package dev.junction.server.api;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * An error answer: an RFC 9457 problem detail with a stable {@code code}. Throw it from anywhere in
 * the server; {@link ApiExceptionHandler} renders it.
 */
public final class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties;

    public ApiProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiProblem(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    /** A property of the problem, such as {@code field}, or null. */
    public Object property(String name) {
        return properties.get(name);
    }

    /** The stable code, such as {@code INPUT_INVALID}. */
    public String code() {
        return code;
    }

    /** The problem's extra members, such as {@code field}, the input it is about. */
    public Map<String, Object> properties() {
        return properties;
    }

    public ProblemDetail toProblemDetail() {
        return detail(status, code, getMessage(), properties);
    }

    /** Builds a problem detail; {@code type} is derived from the code so clients can link docs. */
    public static ProblemDetail detail(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(
                "https://junction.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-')));
        p.setTitle(status.getReasonPhrase());
        p.setProperty("code", code);
        properties.forEach(p::setProperty);
        return p;
    }
}
