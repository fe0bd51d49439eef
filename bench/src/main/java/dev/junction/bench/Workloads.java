package dev.junction.bench;

/** The flows of the workloads; {@code %s} is the sink's URL. */
final class Workloads {
    private Workloads() {}

    private static final String MAP = """
              - id: order
                type: map
                expression: |
                  {
                    "externalId": trigger.body.orderId,
                    "customer": trigger.body.customer.name,
                    "email": trigger.body.customer.email,
                    "total": $sum(trigger.body.lines.(qty * price)),
                    "country": $uppercase(trigger.body.country)
                  }
              - id: push
                type: http
                method: POST
                url: "%s"
                body: "{{ steps.order.output }}"
            """;

    /** W1: webhook → map → http → respond 200 with the mapped body. */
    static String w1(String sink) {
        return """
                id: bench-w1
                trigger: { type: webhook, path: bench-w1, idempotencyKey: "{{ trigger.body.orderId }}" }
                steps:
                """ + MAP.formatted(sink) + """
                  - id: reply
                    type: respond
                    status: 200
                    body: "{{ steps.order.output }}"
                """;
    }

    /** W2: the same without respond: 202 once durable, delivery asynchronous. */
    static String w2(String sink) {
        return """
                id: bench-w2
                trigger: { type: webhook, path: bench-w2, idempotencyKey: "{{ trigger.body.orderId }}" }
                steps:
                """ + MAP.formatted(sink);
    }

    /** W3: ten steps (maps, a condition with a branch step, a foreach over the lines, an http call, respond). */
    static String w3(String sink) {
        return """
                id: bench-w3
                trigger: { type: webhook, path: bench-w3, idempotencyKey: "{{ trigger.body.orderId }}" }
                steps:
                  - id: order
                    type: map
                    expression: '{ "externalId": trigger.body.orderId, "customer": trigger.body.customer.name, "country": $uppercase(trigger.body.country) }'
                  - id: total
                    type: map
                    expression: "$sum(trigger.body.lines.(qty * price))"
                  - id: classify
                    type: condition
                    if: "steps.total.output > 100"
                    then:
                      - { id: big, type: set, vars: { tier: "big" } }
                    else:
                      - { id: small, type: set, vars: { tier: "small" } }
                  - id: lines
                    type: foreach
                    items: "trigger.body.lines"
                    steps:
                      - id: line
                        type: map
                        expression: '{ "sku": item.sku, "amount": item.qty * item.price }'
                  - id: enrich
                    type: map
                    expression: '$merge([steps.order.output, { "total": steps.total.output, "tier": vars.tier, "lines": steps.lines.output }])'
                  - id: push
                    type: http
                    method: POST
                    url: "%s"
                    body: "{{ steps.enrich.output }}"
                  - id: check
                    type: map
                    expression: "steps.push.output.status = 200"
                  - id: reply
                    type: respond
                    status: 200
                    body: "{{ { 'ok': steps.check.output, 'total': steps.total.output } }}"
                """.formatted(sink);
    }

    /** W4: the W2 flow behind a concurrency limit, so a burst waits in the queue and is drained. */
    static String w4(String sink) {
        return """
                id: bench-w4
                trigger: { type: webhook, path: bench-w4, idempotencyKey: "{{ trigger.body.orderId }}" }
                concurrency: { limit: 64 }
                steps:
                """ + MAP.formatted(sink);
    }
}
