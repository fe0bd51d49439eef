package dev.junction.server.core;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.exec.EngineSettings;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.HttpTransport;
import dev.junction.engine.exec.RunServices;
import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.IdGenerator;
import dev.junction.engine.port.PollStore;
import dev.junction.engine.port.RunStats;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.Sleeper;
import dev.junction.engine.schedule.PollTicker;
import dev.junction.engine.schedule.ScheduleTicker;
import dev.junction.engine.stream.StreamConsumers;
import dev.junction.store.ApiKeyStore;
import dev.junction.store.Database;
import dev.junction.store.JdbcConnections;
import dev.junction.store.JdbcFlowRepository;
import dev.junction.store.JdbcOAuthStates;
import dev.junction.store.JdbcPollStore;
import dev.junction.store.JdbcRunStats;
import dev.junction.store.JdbcRunStore;
import dev.junction.store.JdbcScheduleStore;
import dev.junction.store.JdbcWorkQueue;
import dev.junction.store.JdbcWorkspaces;
import dev.junction.store.audit.JdbcAuditLog;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the engine to its stores. The engine itself knows nothing of Spring. */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(CoreConfiguration.class);

    @Bean
    JunctionSettings junctionSettings(Environment env) {
        return JunctionSettings.from(env, System.getenv());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    Database database(JunctionSettings settings, ObjectProvider<EarlyStart> early) {
        EarlyStart started = early.getIfAvailable();
        Database db = started != null ? started.take() : open(settings);
        if (settings.strictDurability()) {
            LOG.info("durability: strict (every write is fsynced)");
            db.strict();
        }
        return db;
    }

    static Database open(JunctionSettings settings) {
        if (settings.dbUrl() != null) {
            if (!settings.dbUrl().startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException(
                        "JUNCTION_DB_URL must be a jdbc:postgresql:// URL; leave it unset for SQLite in the data directory");
            }
            LOG.info("database: PostgreSQL at {}", settings.dbUrl().replaceAll("\\?.*", ""));
            return Database.postgres(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        }
        LOG.info(
                "database: SQLite at {}",
                settings.dataDir().resolve("junction.db").toAbsolutePath().normalize());
        return Database.sqlite(settings.dataDir());
    }

    @Bean
    RunStore runStore(Database db) {
        return new JdbcRunStore(db);
    }

    @Bean
    RunStats runStats(Database db) {
        return new JdbcRunStats(db);
    }

    @Bean
    JdbcWorkQueue workQueue(Database db) {
        return new JdbcWorkQueue(db);
    }

    @Bean
    FlowRepository flowRepository(Database db) {
        return new JdbcFlowRepository(db);
    }

    @Bean
    ApiKeyStore apiKeyStore(Database db) {
        return new ApiKeyStore(db);
    }

    @Bean
    JdbcWorkspaces workspaces(Database db) {
        return new JdbcWorkspaces(db);
    }

    @Bean
    IdGenerator idGenerator(Clock clock) {
        return IdGenerator.timeOrdered(clock);
    }

    @Bean
    EngineSettings engineSettings(JunctionSettings settings) {
        EngineSettings defaults = EngineSettings.defaults(settings.nodeId());
        return new EngineSettings(settings.nodeId(), settings.lease(), defaults.inlineWait(), defaults.maxActiveRuns());
    }

    /** The platform's outbound HTTP: 10 MiB answer limit, internal addresses blocked unless allowlisted. */
    @Bean
    HttpCaller outboundHttp(JunctionSettings settings) {
        return new HttpCaller(
                HttpTransport.open(), 10 * 1024 * 1024, AddressPolicy.blockingInternal(settings.outboundAllow()));
    }

    @Bean
    JdbcConnections jdbcConnections(Database db) {
        return new JdbcConnections(db);
    }

    @Bean
    JdbcOAuthStates oauthStates(Database db) {
        return new JdbcOAuthStates(db);
    }

    @Bean(destroyMethod = "close")
    FlowEngine flowEngine(
            FlowRepository flows,
            RunStore runs,
            JdbcWorkQueue queue,
            Clock clock,
            IdGenerator ids,
            JunctionSettings settings,
            EngineSettings engineSettings,
            Connections connections,
            HttpCaller outbound) {
        RunServices services = new RunServices(
                runs,
                queue,
                clock,
                Sleeper.REAL,
                outbound,
                settings.flowEnv(),
                ExpressionLimits.DEFAULT,
                () -> ThreadLocalRandom.current().nextDouble(),
                connections);
        return new FlowEngine(flows, services, ids, engineSettings);
    }

    @Bean
    ScheduleTicker scheduleTicker(
            FlowRepository flows,
            FlowEngine engine,
            Database db,
            JdbcWorkQueue queue,
            JunctionSettings settings,
            Clock clock) {
        return new ScheduleTicker(flows, engine, new JdbcScheduleStore(db), queue, settings.nodeId(), clock);
    }

    @Bean
    PollStore pollStore(Database db) {
        return new JdbcPollStore(db);
    }

    @Bean
    PollTicker pollTicker(
            FlowRepository flows,
            FlowEngine engine,
            PollStore polls,
            JdbcWorkQueue queue,
            Connections connections,
            JunctionSettings settings,
            Clock clock) {
        return new PollTicker(flows, engine, polls, queue, connections, settings.flowEnv(), settings.nodeId(), clock);
    }

    @Bean
    StreamConsumers streamConsumers(
            FlowRepository flows, FlowEngine engine, Connections connections, JunctionSettings settings, Clock clock) {
        return new StreamConsumers(flows, engine, connections, Sleeper.REAL, clock, settings.nodeId());
    }

    @Bean
    JdbcAuditLog auditLog(Database db) {
        return new JdbcAuditLog(db);
    }
}
