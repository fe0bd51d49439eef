package dev.junction.bench;

/** One line of the report. Latencies in milliseconds; {@code perSecond} counts answers as expected. */
record Result(
        String workload,
        int concurrency,
        long requests,
        double perSecond,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        long errors,
        long lost,
        String note) {

    static Result of(String workload, int concurrency, Load.Outcome o, long lost, String note) {
        return new Result(
                workload,
                concurrency,
                o.requests(),
                o.perSecond(),
                o.latency().quantile(0.50) / 1000.0,
                o.latency().quantile(0.90) / 1000.0,
                o.latency().quantile(0.99) / 1000.0,
                o.errors(),
                lost,
                note);
    }

    String row() {
        return "| %s | %d | %,d | %,.0f | %.2f | %.2f | %.2f | %d | %d | %s |"
                .formatted(workload, concurrency, requests, perSecond, p50Ms, p90Ms, p99Ms, errors, lost, note);
    }
}
