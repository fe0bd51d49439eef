package dev.junction.engine.schedule;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowRecord;
import dev.junction.engine.port.PollStore;
import dev.junction.engine.port.WorkQueue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires poll triggers. Each {@link #tick()}, on the node holding the {@code polls} duty, polls every
 * enabled poll flow whose next poll time has come (each on its own virtual thread, and returns when
 * all are done): it calls the trigger's operation through {@link Connections}, starts one run per
 * item, and only then stores the new cursor. Every run carries the idempotency key {@code
 * poll:<sha-256 of the item>}, so items read again because a crash came before the cursor was
 * stored start no second run. A poll that started new runs is followed by another at the next
 * tick (draining a backlog page by page); otherwise the next poll is {@code every} later. A failed
 * poll keeps the cursor and records its error. Thread-safe ({@code tick} is serialised).
 */
public final class PollTicker {
    private static final Logger LOG = LoggerFactory.getLogger(PollTicker.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(25);
    private static final Duration DUTY = Duration.ofSeconds(30);
    private static final int MAX_ITEMS = 10_000;

    private final FlowRepository flows;
    private final FlowEngine engine;
    private final PollStore states;
    private final WorkQueue duties;
    private final Connections connections;
    private final Map<String, String> env;
    private final String node;
    private final Clock clock;

    public PollTicker(
            FlowRepository flows,
            FlowEngine engine,
            PollStore states,
            WorkQueue duties,
            Connections connections,
            Map<String, String> env,
            String node,
            Clock clock) {
        this.flows = flows;
        this.engine = engine;
        this.states = states;
        this.duties = duties;
        this.connections = connections;
        this.env = Map.copyOf(env);
        this.node = node;
        this.clock = clock;
    }

    /** Polls the flows that are due; returns how many runs were started. */
    public synchronized int tick() {
        Instant now = clock.instant();
        if (!duties.holdDuty("polls", node, now, now.plus(DUTY))) {
            return 0;
        }
        List<Future<Integer>> polls = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FlowRecord flow : flows.enabledWithTrigger("poll")) {
                Trigger.Poll poll =
                        (Trigger.Poll) engine.definition(flow.workspaceId(), flow.flowId(), flow.latestVersion())
                                .trigger();
                Optional<PollStore.State> state = states.state(flow.workspaceId(), flow.flowId());
                boolean fresh = state.isEmpty() || !state.get().source().equals(poll.source());
                if (fresh || !state.get().next().isAfter(now)) {
                    polls.add(threads.submit(() -> poll(flow, poll, fresh ? null : state.get(), now)));
                }
            }
        }
        int started = 0;
        for (Future<Integer> f : polls) {
            try {
                started += f.get();
            } catch (ExecutionException e) {
                LOG.warn("a poll failed: {}", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return started;
    }

    /**
     * Asks for a poll now of the enabled poll flows of {@code workspaceId} whose trigger reads
     * {@code connectionId}, and answers their ids. The request is data: each flow's stored next poll
     * time becomes now, so the node holding the {@code polls} duty polls them at its next tick, and
     * a restart or a change of that node loses nothing (a flow never polled yet polls at the next
     * tick anyway). Does not wait for a tick in progress; a poll that tick finishes meanwhile may
     * set a later time again, having just polled.
     */
    public List<String> pollNow(String workspaceId, String connectionId) {
        Instant now = clock.instant();
        List<String> requested = new ArrayList<>();
        for (FlowRecord flow : flows.enabledWithTrigger("poll")) {
            if (!flow.workspaceId().equals(workspaceId)) {
                continue;
            }
            Trigger.Poll poll = (Trigger.Poll) engine.definition(workspaceId, flow.flowId(), flow.latestVersion())
                    .trigger();
            if (!poll.connection().equals(connectionId)) {
                continue;
            }
            states.state(workspaceId, flow.flowId())
                    .filter(s -> s.next().isAfter(now))
                    .ifPresent(s -> states.put(
                            workspaceId,
                            flow.flowId(),
                            new PollStore.State(
                                    s.source(), s.cursor(), now, s.lastPolledAt(), s.lastError(), s.items())));
            requested.add(flow.flowId());
        }
        return requested;
    }

    private int poll(FlowRecord flow, Trigger.Poll poll, PollStore.State old, Instant now) {
        String ws = flow.workspaceId();
        Object cursor = old == null ? null : old.cursor();
        long seen = old == null ? 0 : old.items();
        Instant later = now.plus(poll.every());
        Answer answer;
        try {
            answer = call(ws, poll, cursor);
        } catch (ConnectorException e) {
            return failed(flow, poll, old, now, later, e.code() + ": " + e.getMessage());
        } catch (RuntimeException e) { // an expression that failed, a shape we cannot use
            return failed(flow, poll, old, now, later, e.getMessage());
        }
        int started = 0;
        for (Object item : answer.items()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("body", item);
            event.put("polledAt", now.toString());
            FlowEngine.RunHandle h = engine.start(
                    ws,
                    flow.flowId(),
                    flow.latestVersion(),
                    new FlowEngine.TriggerEvent("poll", event, "poll:" + digest(item)));
            started += h.created() ? 1 : 0;
        }
        states.put(
                ws,
                flow.flowId(),
                new PollStore.State(
                        poll.source(),
                        answer.cursor(),
                        started > 0 ? now : later,
                        now,
                        null,
                        seen + answer.items().size()));
        return started;
    }

    private record Answer(List<Object> items, Object cursor) {}

    private Answer call(String ws, Trigger.Poll poll, Object cursor) throws ConnectorException {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("cursor", cursor);
        context.put("env", env);
        Object input = poll.input().render(context, ExpressionLimits.DEFAULT);
        if (poll.cursor() == null && cursor != null && input instanceof Map<?, ?> m) {
            Map<Object, Object> withCursor = new LinkedHashMap<>(m);
            withCursor.put("cursor", cursor);
            input = withCursor;
        }
        Object output = connections.call(
                ws, poll.connection(), poll.operation(), input, new CallContext(null, "trigger", null, CALL_TIMEOUT));
        context.put("output", output);
        Object picked = poll.items() != null
                ? poll.items().evaluate(context, ExpressionLimits.DEFAULT)
                : output instanceof Map<?, ?> m && m.containsKey("items") ? m.get("items") : output;
        List<Object> items =
                switch (picked) {
                    case null -> List.of();
                    case List<?> l -> new ArrayList<>(l);
                    default -> {
                        if (poll.items() == null) {
                            throw new IllegalArgumentException(
                                    "operation '%s' answered neither a list nor an object with 'items'; set the trigger's 'items' expression"
                                            .formatted(poll.operation()));
                        }
                        yield List.of(picked); // the expression picked one item
                    }
                };
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException(
                    "a poll answered %d items; at most %d are taken from one poll".formatted(items.size(), MAX_ITEMS));
        }
        context.put("items", items);
        Object next;
        if (poll.cursor() != null) {
            next = poll.cursor().evaluate(context, ExpressionLimits.DEFAULT);
        } else {
            next = output instanceof Map<?, ?> m && m.containsKey("cursor") ? m.get("cursor") : cursor;
        }
        return new Answer(items, next == null ? cursor : next);
    }

    private int failed(FlowRecord flow, Trigger.Poll poll, PollStore.State old, Instant now, Instant next, String why) {
        if (old == null || !why.equals(old.lastError())) { // once per distinct error, not every poll
            LOG.warn("poll of flow {} in workspace {} failed: {}", flow.flowId(), flow.workspaceId(), why);
        }
        states.put(
                flow.workspaceId(),
                flow.flowId(),
                new PollStore.State(
                        poll.source(),
                        old == null ? null : old.cursor(),
                        next,
                        now,
                        why,
                        old == null ? 0 : old.items()));
        return 0;
    }

    /** The idempotency key of an item: the same item read twice is one run. */
    static String digest(Object item) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(Json.write(item).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
