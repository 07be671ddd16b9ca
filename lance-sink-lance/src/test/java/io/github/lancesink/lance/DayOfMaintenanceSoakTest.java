package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day at a 1-minute trigger: 1,440 batches with the default policy (inline, so the run is
 * deterministic) and the shortest retention the guard allows (= the default lookback, 1,000).
 * Pass: a cold sink finds batch 1,439 through the default lookback; the last marker is at most
 * maxVersionsPerCommit versions below the latest; cleanup ran; no row lost or duplicated.
 * Run with {@code -DexcludedGroups= -Dgroups=soak} (a few minutes).
 */
@Timeout(value = 2, unit = java.util.concurrent.TimeUnit.HOURS)
@Tag("soak")
class DayOfMaintenanceSoakTest {
  @TempDir Path dir;

  @Test
  void aDayOfDefaultMaintenanceNeverHidesTheLastMarkerFromTheLedger() throws Exception {
    OptimizePolicy p = OptimizePolicy.defaults().toBuilder().mode(MaintenanceMode.INLINE)
        .retainVersions(1000).indexMinRows(20_000).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      for (long b = 0; b < 1440; b++) {
        h.clock.advance(Duration.ofMinutes(1));
        h.assertCommitted(h.write(b, 50));
      }
      long latest = h.table.latestVersion().orElseThrow();
      assertThat(latest).isGreaterThan(1440 + 100);
      assertThat(latest - h.sink.lastMarkerVersion().orElseThrow())
          .isLessThanOrEqualTo(OptimizePolicy.DEFAULT_MAX_VERSIONS_PER_COMMIT);
      assertThat(h.table.earliestVersion().orElseThrow()).isGreaterThan(1);
      assertThat(h.ran(false)).isEmpty();
      assertThat(h.events(SinkEvent.MaintenancePlanned.class)).hasSizeGreaterThan(100);
      assertThat(h.coldLastBatch("w", 1000)).hasValue(1439);
      assertThat(MaintenanceHarness.ids(h.table)).hasSize(1440 * 50).doesNotHaveDuplicates();
    }
  }
}
