package dev.junction.server.ui;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.Step;
import dev.junction.engine.flow.Steps;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.RunStats;
import dev.junction.server.connection.ConnectionService;
import dev.junction.server.connection.ConnectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Builds the connection cards the dashboard and the connections page share: the connection as the
 * API shows it ({@link ConnectionService}), its activity over the last 24 hours ({@link
 * RunStats#connections}) and the flows of the workspace that use it, in their trigger or a step.
 * Thread-safe.
 */
@Component
class ConnectionCards {
    /** The window of a card's success rate and p95. */
    static final Duration WINDOW = Duration.ofHours(24);

    private final ConnectionService connections;
    private final ConnectorRegistry connectors;
    private final RunStats stats;
    private final FlowRepository flows;
    private final FlowEngine engine;
    private final Clock clock;

    ConnectionCards(
            ConnectionService connections,
            ConnectorRegistry connectors,
            RunStats stats,
            FlowRepository flows,
            FlowEngine engine,
            Clock clock) {
        this.connections = connections;
        this.connectors = connectors;
        this.stats = stats;
        this.flows = flows;
        this.engine = engine;
        this.clock = clock;
    }

    /** The cards of every connection of the workspace. */
    List<ConnectionCard> all(String ws) {
        return complete(ws, connections.list(ws).stream().map(this::bare).toList());
    }

    /** One connection's card; 404 (through {@link UiErrors}) for an unknown one. */
    ConnectionCard one(String ws, String id) {
        return complete(ws, List.of(bare(connections.get(ws, id)))).getFirst();
    }

    private ConnectionCard bare(Map<String, Object> view) {
        String connector = String.valueOf(view.get("connector"));
        return ConnectionCard.of(
                view, connectors.find(connector).map(c -> c.describe().name()).orElse(connector));
    }

    private List<ConnectionCard> complete(String ws, List<ConnectionCard> cards) {
        if (cards.isEmpty()) {
            return cards;
        }
        Instant now = clock.instant();
        Map<String, RunStats.ConnectionActivity> activity = stats
                .connections(
                        ws,
                        cards.stream().map(ConnectionCard::id).toList(),
                        now.minus(WINDOW),
                        now.truncatedTo(ChronoUnit.DAYS))
                .stream()
                .collect(Collectors.toMap(RunStats.ConnectionActivity::connectionId, Function.identity()));
        Map<String, List<String>> usedBy = new HashMap<>();
        Map<String, List<String>> polledBy = new HashMap<>();
        for (FlowRepository.FlowRecord flow : flows.list(ws)) {
            FlowDefinition definition = engine.definition(ws, flow.flowId(), flow.latestVersion());
            connectionsOf(definition).forEach(c -> usedBy.computeIfAbsent(c, k -> new ArrayList<>())
                    .add(flow.flowId()));
            if (flow.enabled() && definition.trigger() instanceof Trigger.Poll poll) {
                polledBy.computeIfAbsent(poll.connection(), k -> new ArrayList<>())
                        .add(flow.flowId());
            }
        }
        return cards.stream()
                .map(c -> c.with(
                        activity(activity.get(c.id())),
                        usedBy.getOrDefault(c.id(), List.of()),
                        polledBy.getOrDefault(c.id(), List.of())))
                .toList();
    }

    /** The connections a flow reads in its trigger or calls in a step, each once. */
    private static List<String> connectionsOf(FlowDefinition flow) {
        Stream<String> trigger =
                switch (flow.trigger()) {
                    case Trigger.Poll p -> Stream.of(p.connection());
                    case Trigger.Stream s -> Stream.of(s.connection());
                    default -> Stream.empty();
                };
        Stream<String> steps = Steps.walk(flow.steps()).map(s -> switch (s) {
            case Step.Http h -> h.connection();
            case Step.Call c -> c.connection();
            default -> null;
        });
        return Stream.concat(trigger, steps).filter(Objects::nonNull).distinct().toList();
    }

    static ConnectionCard.Activity activity(RunStats.ConnectionActivity a) {
        if (a == null) {
            return null;
        }
        return new ConnectionCard.Activity(
                a.lastActivity() == null ? "never" : Views.time(a.lastActivity()),
                a.succeededToday(),
                a.successRate() == null ? "no calls" : Views.percent(a.successRate()),
                a.p95Millis() == null ? "no calls" : Views.millis(a.p95Millis()));
    }
}
