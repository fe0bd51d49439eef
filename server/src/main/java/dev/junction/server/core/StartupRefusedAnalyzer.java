package dev.junction.server.core;

import dev.junction.store.StartupRefusedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints why Junction refused to start (damaged data, say) as a short message, not a stack trace. */
class StartupRefusedAnalyzer extends AbstractFailureAnalyzer<StartupRefusedException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, StartupRefusedException cause) {
        return new FailureAnalysis(
                "Junction refused to start: " + cause.getMessage(),
                "Follow the restore steps above; Junction does not run on damaged data.",
                null);
    }
}
