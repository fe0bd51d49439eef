package dev.junction.server.hook;

import dev.junction.engine.json.Json;
import dev.junction.server.api.ApiExceptionHandler;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves {@code /hooks/{workspace}/…} right after the security headers, outside Spring MVC's
 * dispatcher: ingress is the hot path, and the dispatcher's handler mapping, argument resolution
 * and message conversion were a fifth of its CPU time (docs/benchmarks.md). The API-key, session
 * and audit filters behind it never applied to webhooks. Answers are the same as the API's: the
 * flow's own answer, 202 with the run id, or a problem detail from {@link ApiExceptionHandler}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class WebhookFilter extends OncePerRequestFilter {
    private static final String PREFIX = "/hooks/";

    private final WebhookIngress ingress;

    WebhookFilter(WebhookIngress ingress) {
        this.ingress = ingress;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        // /hooks/{workspace}/… only; anything else (say /hooks/default) is the dispatcher's 404
        return !uri.startsWith(PREFIX) || uri.indexOf('/', PREFIX.length()) <= PREFIX.length();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        String workspace = uri.substring(PREFIX.length(), uri.indexOf('/', PREFIX.length()));
        ResponseEntity<?> answer;
        try {
            answer = ingress.receive(workspace, request);
        } catch (Exception e) {
            answer = ApiExceptionHandler.answer(e);
        }
        write(answer, request, response);
    }

    private static void write(ResponseEntity<?> answer, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        Object body = answer.getBody();
        if (body == null) {
            return;
        }
        String type = response.getContentType();
        String text;
        if (body instanceof ProblemDetail problem) {
            type = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
            text = Json.write(problem(problem, request));
        } else if (body instanceof String s) {
            text = s;
        } else {
            type = type == null ? MediaType.APPLICATION_JSON_VALUE : type;
            text = Json.write(body);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            response.setContentType(type);
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A problem detail as Spring MVC writes one: its fields, the request path, then its properties. */
    private static Map<String, Object> problem(ProblemDetail problem, HttpServletRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", String.valueOf(problem.getType()));
        json.put("title", problem.getTitle());
        json.put("status", problem.getStatus());
        json.put("detail", problem.getDetail());
        json.put(
                "instance",
                problem.getInstance() != null ? problem.getInstance().toString() : request.getRequestURI());
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(json::put);
        }
        return json;
    }
}
