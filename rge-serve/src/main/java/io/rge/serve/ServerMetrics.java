package io.rge.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} reports, in Prometheus' text format: queue depth, slot occupancy,
 * generated tokens (a counter, and its rate over the last window), cancelled items, and a request
 * latency histogram per endpoint and status.
 */
final class ServerMetrics {
  /** Generated tokens per second are averaged over this window. */
  private static final long RATE_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter tokens;
  private final Counter cancelled;
  private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
  private final AtomicLong windowTokens = new AtomicLong();
  private volatile double lastRate;

  ServerMetrics() {
    tokens =
        Counter.builder("rge.generated.tokens")
            .description("tokens generated for the rationales of all requests")
            .register(registry);
    cancelled =
        Counter.builder("rge.cancelled.items")
            .description("items dropped because their client went away or their deadline passed")
            .register(registry);
    Gauge.builder("rge.generated.tokens.per.second", this::tokenRate)
        .description("tokens generated per second, over the last 10 s")
        .register(registry);
  }

  /** Gauges read from the worker at each scrape. */
  void watch(IntSupplier queueDepth, IntSupplier slotsInUse, int slots) {
    Gauge.builder("rge.queue.depth", queueDepth::getAsInt)
        .description("items waiting for the model")
        .register(registry);
    Gauge.builder("rge.slots.used", slotsInUse::getAsInt)
        .description("rows in the running generation batch")
        .register(registry);
    Gauge.builder("rge.slots.occupancy", () -> slotsInUse.getAsInt() / (double) slots)
        .description("share of the generation slots in use")
        .register(registry);
  }

  /** A decoding step fed {@code rows} rows: as many tokens. */
  void generated(int rows) {
    tokens.increment(rows);
    windowTokens.addAndGet(rows);
  }

  void cancelled(int items) {
    cancelled.increment(items);
  }

  void requestTook(String endpoint, int status, Duration took) {
    Timer.builder("rge.request.latency")
        .description("request latency")
        .tag("endpoint", endpoint)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  String scrape() {
    return registry.scrape();
  }

  private double tokenRate() {
    long now = System.nanoTime();
    long start = windowStart.get();
    long elapsed = now - start;
    if (elapsed >= RATE_WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
      lastRate = windowTokens.getAndSet(0) * 1e9 / elapsed;
    }
    return lastRate;
  }
}
