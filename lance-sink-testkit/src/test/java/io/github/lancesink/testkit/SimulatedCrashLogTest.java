package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.OptimizePolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A simulated crash is expected in a test: the sink logs it below ERROR (slf4j-simple writes to
 * System.err, read here), while a real failure is still an ERROR, and both publish BatchFailed.
 */
class SimulatedCrashLogTest {

  /**
   * Purpose: a green run with crashes prints no ERROR line. Steps: crash batch 0 at every table
   * crash point with the driver, then fail a batch for real (a retryable fault past the retry
   * budget would sleep, so a bad schema is used). Pass: no ERROR line for the crashes, an INFO
   * line naming the crash, BatchFailed events for each, and an ERROR line for the real failure.
   */
  @Test
  void simulatedCrashesAreLoggedAtInfoRealFailuresAtError() {
    List<SinkEvent> events = new CopyOnWriteArrayList<>();
    String log = captureStderr(() -> {
      try (InMemoryLanceTable table = InMemoryLanceTable.create();
          MicroBatchDriver driver = MicroBatchDriver.builder().table(table)
              .settings(LanceSinkSettings.builder().writerId("w")
                  .optimizePolicy(OptimizePolicy.never()).build())
              .onEvent(events::add).build()) {
        for (CrashPoint p : List.of(CrashPoint.BEFORE_WRITE, CrashPoint.AFTER_FRAGMENTS_WRITTEN,
            CrashPoint.AFTER_COMMIT_BEFORE_RESULT)) {
          driver.submit(TestBatch.sequential(0, 2, 4));
          driver.crashOnNextBatch(p);
          driver.runToCompletion();
        }
      }
    });
    assertThat(log).doesNotContain("ERROR");
    assertThat(log).contains("INFO").contains("simulated crash at BEFORE_WRITE");
    assertThat(events).filteredOn(e -> e instanceof SinkEvent.BatchFailed).hasSize(3);
  }

  /** Purpose: the INFO level applies only to simulated crashes; a real failure is an ERROR. */
  @Test
  void aRealFailureIsStillAnError() {
    String log = captureStderr(() -> {
      try (InMemoryLanceTable table = InMemoryLanceTable.create();
          LanceSink sink = LanceSink.builder().table(table).writerId("w")
              .vectorColumn("vector", 8).optimizePolicy(OptimizePolicy.never()).build();
          var allocator = new org.apache.arrow.memory.RootAllocator();
          var reader = TestBatch.sequential(0, 2, 4).open(allocator)) {
        sink.write(0, reader); // dimension 4 where 8 is configured: rejected
      } catch (Exception expected) {
        // the failure itself is tested elsewhere
      }
    });
    assertThat(log).contains("ERROR").contains("batch 0 failed");
  }

  private static String captureStderr(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
