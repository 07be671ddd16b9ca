package io.github.lancesink.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binds a sink's events to Micrometer meters. Micrometer is an optional dependency: only load
 * this class when {@code io.micrometer:micrometer-core} is on the classpath.
 *
 * <pre>{@code
 * MicrometerSinkMetrics.bind(sink.events(), meterRegistry, "items-sync");
 * }</pre>
 *
 * <p>Meters (all tagged {@code writer}): counters {@code lancesink.batches} (tag {@code
 * outcome}), {@code lancesink.rows}, {@code lancesink.retries}, {@code lancesink.failures};
 * timers {@code lancesink.write}, {@code lancesink.commit}, {@code lancesink.maintenance} (tags
 * {@code action}, {@code result}); counter {@code lancesink.maintenance.deferred} (tags {@code
 * action}, {@code reason}: budget, version_bound, failed); gauges {@code
 * lancesink.maintenance.last.duration.ms}, {@code lancesink.maintenance.last.succeeded} (1/0),
 * {@code lancesink.table.version}, {@code .versions}, {@code .fragments}, {@code .rows}, {@code
 * .deleted.rows}, {@code .unindexed.rows}, {@code .index.deltas}; timer {@code
 * lancesink.write.stall} (tag {@code result}: {@code ok}, {@code stopped}) with the time writes
 * spent stalled by maintenance.
 *
 * @since 0.1.0
 */
public final class MicrometerSinkMetrics {
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Tags tags;

  private MicrometerSinkMetrics(MeterRegistry registry, String writerId) {
    this.registry = registry;
    this.tags = Tags.of("writer", writerId);
  }

  /** Subscribes meters for {@code writerId} to {@code events}. */
  public static MicrometerSinkMetrics bind(
      SinkEvents events, MeterRegistry registry, String writerId) {
    MicrometerSinkMetrics m = new MicrometerSinkMetrics(registry, writerId);
    events.onEvent(m::record);
    return m;
  }

  private void record(SinkEvent e) {
    if (e instanceof SinkEvent.BatchCommitted c) {
      counter("lancesink.batches", "outcome", "committed").increment();
      Counter.builder("lancesink.rows").tags(tags).register(registry).increment(c.rows());
      Timer.builder("lancesink.write").tags(tags).register(registry).record(c.writeDuration());
      Timer.builder("lancesink.commit").tags(tags).register(registry).record(c.commitDuration());
    } else if (e instanceof SinkEvent.DuplicateSkipped) {
      counter("lancesink.batches", "outcome", "skipped_duplicate").increment();
    } else if (e instanceof SinkEvent.EmptyBatch) {
      counter("lancesink.batches", "outcome", "empty").increment();
    } else if (e instanceof SinkEvent.RetryScheduled) {
      counter("lancesink.retries", "kind", "retry").increment();
    } else if (e instanceof SinkEvent.StateUnknownReconciled s) {
      counter("lancesink.retries", "kind", s.landed() ? "reconciled_landed" : "reconciled_absent")
          .increment();
    } else if (e instanceof SinkEvent.BatchFailed f) {
      counter("lancesink.failures", "error", f.errorType()).increment();
    } else if (e instanceof SinkEvent.MaintenanceRan m) {
      Timer.builder("lancesink.maintenance").tags(tags).tag("action", m.action())
          .tag("result", m.succeeded() ? "ok" : "failed").register(registry).record(m.took());
      gauge("lancesink.maintenance.last.duration.ms", m.took().toMillis());
      gauge("lancesink.maintenance.last.succeeded", m.succeeded() ? 1 : 0);
    } else if (e instanceof SinkEvent.MaintenanceDeferred d) {
      Counter.builder("lancesink.maintenance.deferred").tags(tags).tag("action", d.action())
          .tag("reason", d.reason().startsWith("failed") ? "failed"
              : d.reason().contains("budget") ? "budget" : "version_bound")
          .register(registry).increment();
    } else if (e instanceof SinkEvent.WriteStalled w) {
      Timer.builder("lancesink.write.stall").tags(tags)
          .tag("result", w.stopped() ? "stopped" : "ok").register(registry).record(w.took());
    } else if (e instanceof SinkEvent.TableStatsObserved t) {
      gauge("lancesink.table.version", t.version());
      gauge("lancesink.table.versions", t.versions());
      gauge("lancesink.table.fragments", t.fragments());
      gauge("lancesink.table.rows", t.rows());
      gauge("lancesink.table.deleted.rows", t.deletedRows());
      gauge("lancesink.table.unindexed.rows", t.unindexedRows());
      gauge("lancesink.table.index.deltas", t.indexDeltas());
    }
  }

  private Counter counter(String name, String tagKey, String tagValue) {
    return Counter.builder(name).tags(tags).tag(tagKey, tagValue).register(registry);
  }

  private void gauge(String name, long value) {
    gauges.computeIfAbsent(name, n -> registry.gauge(n, tags, new AtomicLong()))
        .set(value);
  }
}
