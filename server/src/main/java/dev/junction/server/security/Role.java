package dev.junction.server.security;

import java.util.Locale;
import java.util.Optional;

/** The roles of a workspace, weakest first: each may do everything the ones before it may. */
public enum Role {
    VIEWER,
    OPERATOR,
    EDITOR,
    ADMIN,
    OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.id().equals(id.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
