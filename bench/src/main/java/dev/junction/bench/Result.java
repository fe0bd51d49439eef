package dev.junction.bench;

/**
 * One line of the report. Latencies in milliseconds; {@code perSecond} counts answers as expected;
 * {@code nodeCpuMicros} and {@code benchCpuMicros} are the CPU time the node and the harness (load
 * generator and sink) used per request during the run: less sensitive to a busy machine than the
 * throughput.
 */
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
        double nodeCpuMicros,
        double benchCpuMicros,
        String note) {

    static Result of(String workload, int concurrency, Load.Outcome o, long lost, Cpu cpu, String note) {
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
                cpu.nodeMicros() / Math.max(1, o.requests()),
                cpu.benchMicros() / Math.max(1, o.requests()),
                note);
    }

    String row() {
        return "| %s | %d | %,d | %,.0f | %.2f | %.2f | %.2f | %d | %d | %.0f | %.0f | %s |"
                .formatted(
                        workload,
                        concurrency,
                        requests,
                        perSecond,
                        p50Ms,
                        p90Ms,
                        p99Ms,
                        errors,
                        lost,
                        nodeCpuMicros,
                        benchCpuMicros,
                        note);
    }

    /** CPU time used by the node and by the harness between {@link #start} and {@link #stop}. */
    record Cpu(double nodeMicros, double benchMicros) {
        static long[] start(Node node) {
            return new long[] {node.cpu().toNanos(), self()};
        }

        static Cpu stop(Node node, long[] start) {
            return new Cpu((node.cpu().toNanos() - start[0]) / 1e3, (self() - start[1]) / 1e3);
        }

        private static long self() {
            return ProcessHandle.current()
                    .info()
                    .totalCpuDuration()
                    .map(java.time.Duration::toNanos)
                    .orElse(0L);
        }
    }
}
