package dev.junction.server.identity;

/**
 * What the sign-in page offers besides login and password: {@code singleSignOn} when an OpenID
 * Connect provider is configured ({@code JUNCTION_OIDC_ISSUER} and {@code JUNCTION_OIDC_CLIENT_ID}).
 */
public record SignInOptions(boolean singleSignOn) {}
