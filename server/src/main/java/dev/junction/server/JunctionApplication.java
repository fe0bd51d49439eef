package dev.junction.server;

import dev.junction.server.core.EarlyStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Junction's server: REST API, webhook ingress and the engine, in one process. */
@SpringBootApplication
public class JunctionApplication {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(JunctionApplication.class);
        app.addInitializers(new EarlyStart());
        app.run(args);
    }
}
