package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.memory.InMemoryPollStore;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.PollStore;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.schedule.PollTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Poll triggers on in-memory stores, a fake clock and a fake connection with a table of rows. */
class PollTickerTest {
    private final List<Map<String, Object>> rows = new CopyOnWriteArrayList<>();
    private final List<Object> inputs = new CopyOnWriteArrayList<>();
    private volatile ConnectorException failure;
    private final Connections table = new Connections() {
        @Override
        public Object call(String ws, String connection, String operation, Object input, CallContext ctx)
                throws ConnectorException {
            inputs.add(input);
            if (failure != null) {
                throw failure;
            }
            Map<?, ?> in = (Map<?, ?>) input;
            return switch (operation) {
                case "changes" -> { // connector-managed cursor: the largest id seen
                    long after = in.get("cursor") == null ? 0 : ((Number) in.get("cursor")).longValue();
                    List<Map<String, Object>> items = after(after);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("items", items);
                    out.put("cursor", items.isEmpty() ? after : items.getLast().get("id"));
                    yield out;
                }
                case "list" -> { // a plain API: {data: [...]} after 'since'
                    Object since = in.get("since");
                    long after = since == null || since.toString().isEmpty() ? 0 : Long.parseLong(since.toString());
                    yield Map.of("data", after(after));
                }
                default -> throw new ConnectorException("OPERATION_NOT_FOUND", "no " + operation, false);
            };
        }

        @Override
        public OutboundHttp http(String ws, String connection) throws ConnectorException {
            throw Connections.notFound(connection);
        }

        @Override
        public Map<String, String> secrets(String ws) {
            return Map.of();
        }
    };
    private final EngineHarness h = new EngineHarness(table);
    private final InMemoryPollStore states = new InMemoryPollStore();

    private PollTicker ticker(String node, PollStore store) {
        return new PollTicker(h.flows, h.engine, store, h.runs, table, Map.of(), node, h.clock);
    }

    private List<Map<String, Object>> after(long id) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (((Number) r.get("id")).longValue() > id) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingLong(r -> ((Number) r.get("id")).longValue()));
        return out;
    }

    private void insert(long id, String name) {
        rows.add(Map.of("id", id, "name", name));
    }

    private List<Run> runsOf(String flow) {
        List<Run> runs = new ArrayList<>(h.runs.list("default", new RunQuery(flow, null, null, null, null, 100))
                .items());
        return runs;
    }

    private void deployChanges() {
        h.deploy("""
                id: customers
                trigger: { type: poll, connection: crm, operation: changes, input: { table: customers }, every: 1m }
                steps: [ { id: a, type: map, expression: "trigger.body.name" } ]
                """);
    }

    @Test
    void pollNowMakesTheFlowsReadingAConnectionDueAtTheNextTick() {
        deployChanges();
        PollTicker ticker = ticker("node-a", states);
        insert(1, "Ada");
        ticker.tick();
        ticker.tick(); // drained: the next poll is a minute away
        insert(2, "Grace");
        assertThat(ticker.tick()).isZero();

        assertThat(ticker.pollNow("default", "other-connection")).isEmpty();
        assertThat(ticker.pollNow("other-workspace", "crm")).isEmpty();
        assertThat(ticker.tick()).isZero();
        assertThat(ticker.pollNow("default", "crm")).containsExactly("customers");
        assertThat(states.state("default", "customers").orElseThrow().next()).isEqualTo(h.clock.instant());

        assertThat(ticker("node-a", states).tick())
                .as("another ticker on the same store sees the request")
                .isEqualTo(1);
        assertThat(runsOf("customers")).hasSize(2);
    }

    @Test
    void startsOneRunPerItemAndContinuesFromTheStoredCursor() {
        deployChanges();
        PollTicker ticker = ticker("node-a", states);
        insert(1, "Ada");
        insert(2, "Grace");
        assertThat(ticker.tick()).isEqualTo(2);
        assertThat(runsOf("customers"))
                .extracting(r -> (Object) ((Map<?, ?>) r.trigger()).get("body"))
                .containsExactlyInAnyOrder(
                        (Object) Map.of("id", 1L, "name", "Ada"), (Object) Map.of("id", 2L, "name", "Grace"));
        assertThat(ticker.tick())
                .as("a poll that started runs is followed at once, draining")
                .isZero();
        assertThat(inputs.getLast()).isEqualTo(Map.of("table", "customers", "cursor", 2L));
        insert(3, "Edsger");
        assertThat(ticker.tick()).as("not due before 'every' has passed").isZero();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ticker.tick()).isEqualTo(1);
        PollStore.State state = states.state("default", "customers").orElseThrow();
        assertThat(state.cursor()).isEqualTo(3L);
        assertThat(state.items()).isEqualTo(3);
        assertThat(state.lastError()).isNull();
    }

    @Test
    void itemsReadAgainBecauseTheCursorWasLostStartNoSecondRun() {
        deployChanges();
        insert(1, "Ada");
        insert(2, "Grace");
        assertThat(ticker("node-a", states).tick()).isEqualTo(2);
        // a crash between starting the runs and storing the cursor: the feed is read again
        assertThat(ticker("node-a", new InMemoryPollStore()).tick()).isZero();
        assertThat(runsOf("customers")).hasSize(2);
    }

    @Test
    void aFlowCanKeepTheCursorWithExpressions() {
        h.deploy("""
                id: orders
                trigger:
                  type: poll
                  connection: shop
                  operation: list
                  input: { since: "{{ cursor }}" }
                  items: output.data
                  cursor: "$max(items.id)"
                  every: 10s
                steps: [ { id: a, type: map, expression: "trigger.body.id" } ]
                """);
        PollTicker ticker = ticker("node-a", states);
        insert(5, "a");
        insert(7, "b");
        assertThat(ticker.tick()).isEqualTo(2);
        assertThat(ticker.tick()).isZero();
        assertThat(((Number) ((Map<?, ?>) inputs.getLast()).get("since")).longValue())
                .as("the input template saw the cursor")
                .isEqualTo(7);
        assertThat(((Number) states.state("default", "orders").orElseThrow().cursor()).longValue())
                .isEqualTo(7);
    }

    @Test
    void aFailedPollKeepsTheCursorAndRecordsTheError() {
        deployChanges();
        PollTicker ticker = ticker("node-a", states);
        insert(1, "Ada");
        ticker.tick();
        ticker.tick();
        failure = new ConnectorException("CONNECTION", "connection refused by db.example:5432", true);
        insert(2, "Grace");
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ticker.tick()).isZero();
        PollStore.State state = states.state("default", "customers").orElseThrow();
        assertThat(state.lastError()).isEqualTo("CONNECTION: connection refused by db.example:5432");
        assertThat(state.cursor()).isEqualTo(1L);
        assertThat(state.next()).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(1)));
        failure = null;
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ticker.tick()).isEqualTo(1);
        assertThat(states.state("default", "customers").orElseThrow().lastError())
                .isNull();
    }

    @Test
    void changingWhatIsPolledStartsTheFeedAfresh() {
        deployChanges();
        insert(1, "Ada");
        PollTicker ticker = ticker("node-a", states);
        ticker.tick();
        ticker.tick();
        h.deploy("""
                id: customers
                trigger: { type: poll, connection: crm, operation: changes, input: { table: customers_v2 }, every: 1m }
                steps: [ { id: a, type: map, expression: "trigger.body.name" } ]
                """);
        ticker.tick();
        assertThat(inputs.getLast()).as("no cursor of the old source").isEqualTo(Map.of("table", "customers_v2"));
    }

    @Test
    void onlyTheNodeHoldingThePollsDutyPolls() {
        deployChanges();
        insert(1, "Ada");
        assertThat(ticker("node-a", states).tick()).isEqualTo(1);
        insert(2, "Grace");
        assertThat(ticker("node-b", states).tick()).isZero();
        assertThat(inputs).hasSize(1);
    }
}
