package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.event.MicrometerSinkMetrics;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.EventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MicrometerSinkMetricsTest {

  @Test
  void eventsDriveCountersTimersAndGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventBus bus = new EventBus();
    MicrometerSinkMetrics.bind(bus, registry, "w");
    Instant t = Instant.EPOCH;
    bus.publish(new SinkEvent.BatchCommitted("w", t, 1, 5, 100, 1, Duration.ofMillis(3),
        Duration.ofMillis(2)));
    bus.publish(new SinkEvent.BatchCommitted("w", t, 2, 6, 50, 2, Duration.ofMillis(3),
        Duration.ofMillis(2)));
    bus.publish(new SinkEvent.DuplicateSkipped("w", t, 2, 2, OptionalLong.of(6)));
    bus.publish(new SinkEvent.TableStatsObserved("w", t, 6, 6, 12, 150, 0, 150, 0));
    bus.publish(new SinkEvent.TableStatsObserved("w", t, 7, 7, 3, 150, 0, 0, 1));
    assertThat(registry.get("lancesink.batches").tag("outcome", "committed").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("lancesink.rows").counter().count()).isEqualTo(150);
    assertThat(registry.get("lancesink.batches").tag("outcome", "skipped_duplicate").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get("lancesink.commit").timer().count()).isEqualTo(2);
    assertThat(registry.get("lancesink.table.fragments").gauge().value()).isEqualTo(3);
    assertThat(registry.get("lancesink.table.index.deltas").gauge().value()).isEqualTo(1);
  }

  @Test
  void writeStallsAreTimedByResult() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventBus bus = new EventBus();
    MicrometerSinkMetrics.bind(bus, registry, "w");
    bus.publish(new SinkEvent.WriteStalled("w", Instant.EPOCH, 3, "fragments 49 > slowdown 48",
        Duration.ofMillis(20), 40, -1, false));
    bus.publish(new SinkEvent.WriteStalled("w", Instant.EPOCH, 4, "fragments 65 > stop 64",
        Duration.ofMillis(30), 65, -1, false));
    bus.publish(new SinkEvent.WriteStalled("w", Instant.EPOCH, 5, "fragments 65 > stop 64",
        Duration.ofSeconds(30), 65, -1, true));
    assertThat(registry.get("lancesink.write.stall").tag("result", "ok").timer().count())
        .isEqualTo(2);
    assertThat(registry.get("lancesink.write.stall").tag("result", "ok").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(50);
    assertThat(registry.get("lancesink.write.stall").tag("result", "stopped").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aFailingListenerNeverBreaksPublishing() {
    EventBus bus = new EventBus();
    int[] seen = new int[1];
    bus.onEvent(e -> {
      throw new IllegalStateException("listener bug");
    });
    bus.on(SinkEvent.EmptyBatch.class, e -> seen[0]++);
    bus.publish(new SinkEvent.EmptyBatch("w", Instant.EPOCH, 1));
    bus.publish(new SinkEvent.DuplicateSkipped("w", Instant.EPOCH, 1, 1, OptionalLong.empty()));
    assertThat(seen[0]).isEqualTo(1);
  }
}
