package dev.junction.server.connection;

import dev.junction.engine.schedule.PollTicker;
import dev.junction.server.api.ApiProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * "Sync now" for a connection: asks for an immediate poll of the enabled flows whose poll trigger
 * reads it ({@link PollTicker#pollNow}). The request is stored, so the node holding the polls duty
 * takes it up within a tick, wherever the request came in. Used by the API and the web UI alike.
 */
@Service
public class ConnectionPolls {
    private final ConnectionService connections;
    private final PollTicker polls;

    ConnectionPolls(ConnectionService connections, PollTicker polls) {
        this.connections = connections;
        this.polls = polls;
    }

    /**
     * Answers {@code {connection, polling: [flow ids]}}; 404 for an unknown connection, 409 when no
     * enabled flow polls it (other flows run from their own triggers).
     */
    public Map<String, Object> pollNow(String ws, String id) {
        connections.get(ws, id); // 404 for an unknown connection
        List<String> flows = polls.pollNow(ws, id);
        if (flows.isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "NOT_POLLED",
                    ("no enabled flow has a poll trigger that reads connection '%s', so there is nothing to poll now;"
                                    + " flows that call it in their steps run from their own triggers")
                            .formatted(id));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("connection", id);
        answer.put("polling", flows);
        return answer;
    }
}
