package dev.junction.server.identity;

import dev.junction.engine.json.Json;
import dev.junction.server.api.ApiProblem;
import dev.junction.store.JdbcUsers;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * A user's profile as answered by the API, and the validation of preferences: {@code locale} a
 * well-formed BCP 47 tag (e.g. {@code de-CH}), {@code timeZone} an IANA id (e.g. {@code
 * Europe/Zurich}), {@code theme} one of {@link #THEMES}, {@code dashboardLayout} a JSON object and
 * {@code notificationChannels} a JSON list, each at most {@link #MAX_JSON_CHARS} characters.
 */
final class Profiles {
    static final Set<String> THEMES = Set.of("system", "light", "dark");
    static final Set<String> PREFERENCES =
            Set.of("locale", "timeZone", "theme", "dashboardLayout", "notificationChannels");
    static final int MAX_JSON_CHARS = 64 * 1024;

    private Profiles() {}

    static Map<String, Object> view(JdbcUsers.User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("workspace", u.workspaceId());
        m.put("login", u.login());
        m.put("displayName", u.displayName());
        m.put("role", u.role());
        m.put("sso", u.ssoIssuer() != null);
        m.put("disabled", u.disabled());
        m.put("lockedUntil", u.lockedUntil() == null ? null : u.lockedUntil().toString());
        m.put("preferences", u.preferences());
        m.put("createdAt", u.createdAt().toString());
        m.put("updatedAt", u.updatedAt().toString());
        return m;
    }

    /** {@code current} with the preferences in {@code changes} applied (null removes one), validated. */
    static Map<String, Object> apply(Map<String, Object> current, Map<String, Object> changes) {
        Map<String, Object> out = new LinkedHashMap<>(current);
        changes.forEach((key, value) -> {
            if (!PREFERENCES.contains(key)) {
                throw invalid(
                        key,
                        ("unknown field '%s'; expected displayName, locale, timeZone, theme, dashboardLayout,"
                                        + " notificationChannels")
                                .formatted(key));
            }
            if (value == null) {
                out.remove(key);
            } else {
                out.put(key, validated(key, value));
            }
        });
        return out;
    }

    private static Object validated(String key, Object value) {
        return switch (key) {
            case "locale" -> locale(value);
            case "timeZone" -> timeZone(value);
            case "theme" -> {
                if (!(value instanceof String t) || !THEMES.contains(t)) {
                    throw invalid(key, "'theme' must be system, light or dark, was " + Json.write(value));
                }
                yield t;
            }
            case "dashboardLayout" -> {
                if (!(value instanceof Map<?, ?>)) {
                    throw invalid(key, "'dashboardLayout' must be a JSON object, e.g. {\"widgets\": []}");
                }
                yield bounded(key, value);
            }
            default -> {
                if (!(value instanceof List<?>)) {
                    throw invalid(key, "'notificationChannels' must be a JSON list, e.g. [{\"type\": \"email\"}]");
                }
                yield bounded(key, value);
            }
        };
    }

    private static String locale(Object value) {
        if (value instanceof String tag && !tag.isBlank()) {
            try {
                Locale l = new Locale.Builder().setLanguageTag(tag).build();
                if (!l.getLanguage().isEmpty()) {
                    return l.toLanguageTag();
                }
            } catch (IllformedLocaleException e) {
                // answered below with what was expected
            }
        }
        throw invalid(
                "locale",
                "'locale' must be a BCP 47 language tag such as en, de-CH or pt-BR, was " + Json.write(value));
    }

    private static String timeZone(Object value) {
        if (value instanceof String id && ZoneId.getAvailableZoneIds().contains(id)) {
            return id;
        }
        throw invalid(
                "timeZone",
                "'timeZone' must be an IANA time zone id such as Europe/Zurich or UTC, was " + Json.write(value));
    }

    private static Object bounded(String key, Object value) {
        int size = Json.write(value).length();
        if (size > MAX_JSON_CHARS) {
            throw invalid(
                    key, "'%s' must be at most %d characters of JSON, was %d".formatted(key, MAX_JSON_CHARS, size));
        }
        return value;
    }

    static ApiProblem invalid(String field, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "PROFILE_INVALID", message, Map.of("field", field));
    }
}
