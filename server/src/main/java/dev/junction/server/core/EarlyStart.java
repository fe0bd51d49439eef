package dev.junction.server.core;

import dev.junction.engine.exec.HttpTransport;
import dev.junction.store.Database;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up work that needs only the settings, begun on a second thread as soon as they are known,
 * while Spring builds the context on the main thread: opening (and migrating) the database,
 * loading the default TLS context the outbound HTTP client needs, and building one such client
 * once (its first build loads its classes). The {@code database} bean takes
 * the opened database ({@link #take}); when this did not run (tests build the context without
 * {@code main}), the bean opens it itself. A failure to open is thrown by the bean, as if it had
 * opened the database.
 */
public final class EarlyStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    static final String BEAN = "junctionEarlyStart";

    private final CompletableFuture<Database> database = new CompletableFuture<>();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (Boolean.getBoolean("spring.aot.processing")) {
            return; // the build's AOT processing runs main to read the bean definitions; it must not touch a database
        }
        JunctionSettings settings = JunctionSettings.from(context.getEnvironment(), System.getenv());
        Thread.ofPlatform().name("junction-early-start").start(() -> {
            try {
                database.complete(CoreConfiguration.open(settings));
            } catch (RuntimeException | Error e) {
                database.completeExceptionally(e);
            }
            try {
                SSLContext.getDefault();
                // the outbound HTTP client's first build loads its classes and the public suffix
                // list its host name check uses (about 0.1 s); later builds take half a millisecond
                HttpTransport.open().close();
            } catch (NoSuchAlgorithmException | RuntimeException e) {
                // the client reports it when it is built
            }
        });
        context.getBeanFactory().registerSingleton(BEAN, this);
    }

    /**
     * The database opened early, once it is open. The bean's settings are this initializer's: both
     * are read from the same environment.
     */
    Database take() {
        try {
            return database.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw e;
            }
        }
    }
}
