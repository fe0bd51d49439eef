package dev.junction.server.ui;

import java.util.Map;

/**
 * How an OAuth authorization that the wizard started ended, as the provider's redirect to {@code
 * /oauth/callback} reports it back to the test step ({@code ?oauth=ok} or {@code ?oauth=<CODE>}).
 * Only a stable error code travels in the address, never a message: the page's text comes from
 * here, so a crafted link cannot make the page say anything else.
 */
public record OAuthOutcome(boolean ok, String text) {
    static final String AUTHORIZATION_CODE = "oauth2AuthorizationCode";

    static OAuthOutcome of(String outcome) {
        if ("ok".equals(outcome)) {
            return new OAuthOutcome(true, "Authorized at the provider; the connection passed its test and is active.");
        }
        String code = outcome.matches("[A-Z0-9_]{1,64}") ? outcome : "ERROR";
        if (code.equals("CONNECTION_TEST_FAILED")) {
            return new OAuthOutcome(
                    false,
                    "Authorized at the provider, but the connection test failed (CONNECTION_TEST_FAILED);"
                            + " test it below to see the far side's answer.");
        }
        return new OAuthOutcome(false, "The authorization did not complete (" + code + "). Authorize again to retry.");
    }

    static boolean authorizationCode(Map<String, Object> view) {
        return view.get("auth") instanceof Map<?, ?> auth && AUTHORIZATION_CODE.equals(auth.get("type"));
    }
}
