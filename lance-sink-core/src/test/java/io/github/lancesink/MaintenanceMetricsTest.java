package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.event.MicrometerSinkMetrics;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.EventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Maintenance events drive the optional Micrometer meters. */
class MaintenanceMetricsTest {

  @Test
  void maintenanceRunsDeferralsAndTableShapeBecomeMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventBus bus = new EventBus();
    MicrometerSinkMetrics.bind(bus, registry, "w");
    Instant t = Instant.EPOCH;
    bus.publish(new SinkEvent.MaintenanceRan("w", t, "compact", true, Duration.ofMillis(40), ""));
    bus.publish(new SinkEvent.MaintenanceRan("w", t, "build-index", false, Duration.ofMillis(7),
        "boom"));
    bus.publish(new SinkEvent.MaintenanceDeferred("w", t, "build-index", "failed",
        Optional.of(t.plusSeconds(60))));
    bus.publish(new SinkEvent.MaintenanceDeferred("w", t, "cleanup",
        "inline budget of PT30S spent", Optional.empty()));
    bus.publish(new SinkEvent.TableStatsObserved("w", t, 90, 42, 5, 1000, 0, 200, 2));
    assertThat(registry.get("lancesink.maintenance").tag("action", "compact").tag("result", "ok")
        .timer().count()).isEqualTo(1);
    assertThat(registry.get("lancesink.maintenance").tag("action", "build-index")
        .tag("result", "failed").timer().count()).isEqualTo(1);
    assertThat(registry.get("lancesink.maintenance.last.duration.ms").gauge().value())
        .isEqualTo(7);
    assertThat(registry.get("lancesink.maintenance.last.succeeded").gauge().value()).isZero();
    assertThat(registry.get("lancesink.maintenance.deferred").tag("reason", "failed").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get("lancesink.maintenance.deferred").tag("reason", "budget").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get("lancesink.table.versions").gauge().value()).isEqualTo(42);
    assertThat(registry.get("lancesink.table.unindexed.rows").gauge().value()).isEqualTo(200);
  }
}
