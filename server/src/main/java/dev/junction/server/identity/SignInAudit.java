package dev.junction.server.identity;

import dev.junction.store.JdbcWorkspaces;
import dev.junction.store.audit.AuditRecord;
import dev.junction.store.audit.JdbcAuditLog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records sign-ins (and refused session requests) in the workspace's audit chain directly: a
 * failed sign-in has no authenticated request for {@code AuditFilter} to see. The actor is
 * {@code user:<id>} when the user is known, else {@code login:<attempted name>}; the target is the
 * workspace. Attempts against a workspace that does not exist are not recorded (there is no chain
 * to add to, and anyone could otherwise create chains). A failing write is logged, not thrown.
 */
@Component
class SignInAudit {
    private static final Logger LOG = LoggerFactory.getLogger(SignInAudit.class);

    private final JdbcAuditLog log;
    private final JdbcWorkspaces workspaces;
    private final Clock clock;

    SignInAudit(JdbcAuditLog log, JdbcWorkspaces workspaces, Clock clock) {
        this.log = log;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    static String attempted(String login) {
        String clean = login == null ? "" : login.replaceAll("\\p{Cntrl}", "?");
        return "login:" + (clean.length() > 150 ? clean.substring(0, 150) : clean);
    }

    void record(String workspace, String actor, String action, int status) {
        if (workspace == null || workspaces.find(workspace).isEmpty()) {
            return;
        }
        try {
            log.append(new AuditRecord.Entry(
                    workspace, clock.instant(), actor, action, "workspace:" + workspace, status, null, null));
        } catch (RuntimeException e) {
            LOG.warn("could not audit {} by {} ({}): {}", action, actor, status, e.getMessage());
        }
    }
}
