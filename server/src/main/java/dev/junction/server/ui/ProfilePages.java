package dev.junction.server.ui;

import dev.junction.server.api.ApiProblem;
import dev.junction.server.identity.ProfileService;
import jakarta.servlet.http.HttpServletRequest;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The signed-in user's profile: display name, language and time zone, changed through the same
 * {@link ProfileService} as {@code PATCH /api/v1/me}. A refused change answers the form again with
 * the problem next to its field and everything as typed.
 */
@Controller
class ProfilePages {
    static final String CHANGE = "PATCH /api/v1/me";
    /** The languages offered, as BCP 47 tags. */
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "nl", "pt-BR", "pl", "sv", "ja");

    private static final List<String> ZONES =
            ZoneId.getAvailableZoneIds().stream().sorted().toList();

    private final ProfileService profiles;
    private final Pages pages;

    ProfilePages(ProfileService profiles, Pages pages) {
        this.profiles = profiles;
        this.pages = pages;
    }

    @GetMapping("/ui/profile")
    ResponseEntity<String> show(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        Map<String, Object> profile = profiles.view(caller.workspace(), ProfileService.userId(request));
        @SuppressWarnings("unchecked")
        Map<String, Object> prefs = (Map<String, Object>) profile.get("preferences");
        Map<String, Object> params = form(
                String.valueOf(profile.get("displayName")),
                String.valueOf(prefs.getOrDefault("locale", "en")),
                String.valueOf(prefs.getOrDefault("timeZone", "UTC")));
        params.put("login", profile.get("login"));
        return pages.page(HttpStatus.OK, "profile.jte", "Profile", caller, params);
    }

    @PostMapping("/ui/profile")
    ResponseEntity<String> change(
            @RequestParam(defaultValue = "") String displayName,
            @RequestParam(defaultValue = "") String locale,
            @RequestParam(defaultValue = "") String timeZone,
            HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        Map<String, Object> params = form(displayName, locale, timeZone);
        if (!caller.may(CHANGE)) {
            params.put("message", "FORBIDDEN: your role may not change a profile");
            return pages.html(HttpStatus.FORBIDDEN, "profileForm.jte", params);
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("displayName", displayName);
        changes.put("locale", locale);
        changes.put("timeZone", timeZone);
        try {
            profiles.change(caller.workspace(), ProfileService.userId(request), changes);
        } catch (ApiProblem e) {
            params.put("field", e.property("field"));
            params.put("message", e.getMessage());
            return pages.html(e.status(), "profileForm.jte", params);
        }
        params.put("saved", true);
        return pages.html(HttpStatus.OK, "profileForm.jte", params);
    }

    private static Map<String, Object> form(String displayName, String locale, String timeZone) {
        Map<String, Object> params = new HashMap<>();
        params.put("displayName", displayName);
        params.put("locale", locale);
        params.put("timeZone", timeZone);
        params.put(
                "languages",
                LANGUAGES.stream()
                        .map(tag -> new Views.Language(
                                tag, Locale.forLanguageTag(tag).getDisplayName(Locale.forLanguageTag(tag))))
                        .toList());
        params.put("zones", ZONES);
        params.put("field", null);
        params.put("message", null);
        params.put("saved", false);
        return params;
    }
}
