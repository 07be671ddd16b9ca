package io.github.lancesink.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import io.github.lancesink.testkit.CrashPoint;
import io.github.lancesink.testkit.FaultInjectingTable;
import io.github.lancesink.testkit.Faults;
import io.github.lancesink.testkit.MicroBatchDriver;
import io.github.lancesink.testkit.StepResult;
import io.github.lancesink.testkit.TestBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crash matrix on object storage: the real Lance adapter on {@code s3://}, wrapped by the
 * testkit's {@link FaultInjectingTable}, driven by the {@link MicroBatchDriver} that replays
 * like Spark. Each restart opens a new native table and a new sink (a cold ledger).
 */
class S3CrashMatrixTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private final List<LanceTable> opened = new ArrayList<>();

  @AfterEach
  void closeTables() {
    opened.forEach(LanceTable::close);
  }

  private LanceTable open(String uri) {
    LanceTable t = new NativeLanceTable(uri, S3.storageOptions());
    opened.add(t);
    return t;
  }

  /**
   * Purpose: whatever point a batch dies at, the table ends with every row exactly once.
   * Steps: 3 batches of 10 rows; batch 1 crashes at {@code point}; the driver restarts (new
   * process state) and replays batch 1 with the same id. Pass: exactly ids 0..29, one crash,
   * exactly three versions carry this writer's marker (no duplicate commit).
   */
  @ParameterizedTest
  @EnumSource(CrashPoint.class)
  void everyCrashPointEndsWithExactRowsOnS3(CrashPoint point) throws Exception {
    String uri = S3.uri("crash-" + point.name().toLowerCase(Locale.ROOT) + ".lance");
    try (MicroBatchDriver driver =
        MicroBatchDriver.builder()
            .tables(() -> open(uri))   // a new handle per restart, wrapped with the driver's Faults
            .settings(LanceSinkSettings.builder()
                .writerId("crash-s3")
                .vectorColumn("vector", 8)
                .optimizePolicy(OptimizePolicy.never())
                .build())
            .build()) {
      driver.submit(TestBatch.sequential(0, 10, 8));
      driver.step();
      driver.submit(TestBatch.sequential(10, 10, 8));
      driver.crashOnNextBatch(point);
      driver.submit(TestBatch.sequential(20, 10, 8));
      driver.runToCompletion();

      assertThat(driver.restarts()).isEqualTo(1);
      assertThat(driver.history()).filteredOn(s -> s.kind() == StepResult.Kind.CRASHED)
          .hasSize(1);
    }
    LanceTable fresh = open(uri);
    assertThat(Rows.ids(fresh)).isEqualTo(Rows.range(0, 30));
    assertThat(markerVersions(fresh)).hasSize(3);
  }

  private static List<Long> markerVersions(LanceTable table) {
    List<Long> out = new ArrayList<>();
    long latest = table.latestVersion().orElseThrow();
    for (long v = 1; v <= latest; v++) {
      VersionProperties p = table.properties(v);
      if (p.kind() == VersionProperties.Kind.PRESENT
          && p.properties().values().stream().anyMatch("crash-s3"::equals)) {
        out.add(v);
      }
    }
    return out;
  }
}
