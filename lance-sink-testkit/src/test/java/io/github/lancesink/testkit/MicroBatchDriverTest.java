package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult.Outcome;
import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.LedgerException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spark-like checkpoint semantics of the driver, on the fake. */
class MicroBatchDriverTest {
  private final InMemoryLanceTable table = InMemoryLanceTable.create();
  private final ManualClock clock = new ManualClock();
  static final LanceSinkSettings SETTINGS = LanceSinkSettings.builder().writerId("driver-writer")
      .vectorColumn("vector", 8).optimizePolicy(OptimizePolicy.never()).build();
  private int sinksBuilt;
  private final MicroBatchDriver driver = MicroBatchDriver.builder()
      .table(table).settings(SETTINGS).clock(clock).sleeper(RecordingSleeper.noOp())
      .sink(b -> {
        sinksBuilt++;
        return b;
      })
      .tick(Duration.ofSeconds(5)).queryId("query-1").build();

  @AfterEach
  void close() {
    driver.close();
    table.close();
  }

  /**
   * Purpose: a batch is acknowledged only after its commit entry is written, and a crash after
   * the result but before the checkpoint replays it with the same id and input. Pass: the
   * replay is SKIPPED_DUPLICATE, a new sink was built, the rows are there once.
   */
  @Test
  void crashBeforeCheckpointReplaysSameBatchId() {
    driver.submit(TestBatch.sequential(0, 4, 8));
    driver.submit(TestBatch.sequential(4, 4, 8));
    StepResult first = driver.step();
    assertThat(first.kind()).isEqualTo(StepResult.Kind.ACKNOWLEDGED);
    assertThat(driver.checkpoint().commits()).containsExactly(0L);
    driver.crashOnNextBatch(CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT);
    StepResult crashed = driver.step();
    assertThat(crashed.kind()).isEqualTo(StepResult.Kind.CRASHED);
    assertThat(crashed.result().orElseThrow().outcome()).isEqualTo(Outcome.COMMITTED);
    assertThat(driver.checkpoint().unacknowledged()).hasValue(1);
    assertThat(driver.sink()).isEmpty();
    assertThatThrownBy(driver::step).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("restart()");
    driver.restart();
    StepResult replay = driver.step();
    assertThat(replay.batchId()).isEqualTo(1);
    assertThat(replay.replay()).isTrue();
    assertThat(replay.result().orElseThrow().outcome()).isEqualTo(Outcome.SKIPPED_DUPLICATE);
    assertThat(driver.step().kind()).isEqualTo(StepResult.Kind.IDLE);
    assertThat(sinksBuilt).isEqualTo(2);
    assertThat(table).containsExactlyRowsById(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(driver.history()).hasSize(4);
  }

  /**
   * Purpose: deleting the last commit entry (as Iceberg and Paimon tests do with Spark's
   * commits/N) replays that batch. Pass: replay is skipped; only the last entry can go.
   */
  @Test
  void forgottenCommitEntryIsReplayed() {
    driver.submit(TestBatch.sequential(0, 3, 8));
    driver.submit(TestBatch.sequential(3, 3, 8));
    driver.runToCompletion();
    assertThatThrownBy(() -> driver.forgetCommit(0)).isInstanceOf(IllegalArgumentException.class);
    driver.forgetCommit(1).restart();
    StepResult replay = driver.step();
    assertThat(replay.batchId()).isEqualTo(1);
    assertThat(replay.result().orElseThrow().outcome()).isEqualTo(Outcome.SKIPPED_DUPLICATE);
    assertThat(table).containsExactlyRowsById(0, 1, 2, 3, 4, 5).hasBatchCommittedOnce(
        "driver-writer", 1);
  }

  /**
   * Purpose: a new checkpoint (new query id, batch ids from 0) is the Delta pitfall; the sink
   * must fail loudly. Pass: the first batch of the new checkpoint throws LedgerException, the
   * stream stops, nothing is written.
   */
  @Test
  void newCheckpointReusingBatchIdsFailsLoudly() {
    driver.submit(TestBatch.sequential(0, 3, 8));
    driver.submit(TestBatch.sequential(3, 3, 8));
    driver.runToCompletion();
    long before = table.latestVersion().orElseThrow();
    driver.startNewCheckpoint();
    assertThat(driver.checkpoint().queryId()).isNotEqualTo("query-1");
    driver.submit(TestBatch.sequential(6, 3, 8));
    assertThatThrownBy(driver::step).isInstanceOf(LedgerException.class)
        .hasMessageContaining("query-1");
    assertThat(driver.sink()).isEmpty();
    assertThat(table).hasLatestVersion(before).hasRowCount(6);
  }

  /**
   * Purpose: a sink failure that is not a crash stops the stream and reaches the caller, like a
   * failed Spark query; the manual clock moves one tick per acknowledged batch and restart.
   */
  @Test
  void sinkFailureStopsTheStreamAndClockTicks() {
    driver.submit(TestBatch.sequential(0, 3, 8));
    driver.submit(TestBatch.sequential(3, 3, 8).withNaN(1));
    driver.step();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5));
    assertThatThrownBy(driver::step).isInstanceOf(InvalidBatchException.class);
    assertThat(driver.checkpoint().unacknowledged()).hasValue(1);
    driver.restart();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(10));
    assertThatThrownBy(driver::step).isInstanceOf(InvalidBatchException.class);
    assertThat(table).containsExactlyRowsById(0, 1, 2);
  }

  /** Purpose: table-level crash points need the table's fault script. */
  /**
   * Purpose: the driver owns the wiring. Steps: give it a plain port (not the fake, not a fault
   * wrapper), crash at a table-level point, drain. Pass: the crash fired through the Faults the
   * driver wrapped around the port, every (re)started sink got the driver's clock, the listener
   * saw both sinks' events, and the rows are there once.
   */
  @Test
  void theDriverWrapsAnyPortAndAppliesClockFaultsAndListenersOnEveryRestart() {
    List<SinkEvent> events = new ArrayList<>();
    try (InMemoryLanceTable fake = InMemoryLanceTable.create();
        MicroBatchDriver own = MicroBatchDriver.builder()
            .table(plainPort(fake)).settings(SETTINGS).clock(clock)
            .onEvent(events::add).build()) {
      assertThat(own.faults()).isNotSameAs(fake.faults());
      own.submit(TestBatch.sequential(0, 4, 8));
      own.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
      List<StepResult> steps = own.runToCompletion();
      assertThat(steps).extracting(StepResult::kind)
          .containsExactly(StepResult.Kind.CRASHED, StepResult.Kind.ACKNOWLEDGED);
      assertThat(own.sink().orElseThrow().clock()).isSameAs(clock);
      assertThat(own.sink().orElseThrow().table()).isInstanceOf(FaultInjectingTable.class);
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.DuplicateSkipped).hasSize(1);
      assertThat(fake).containsExactlyRowsById(0, 1, 2, 3);
    }
  }

  /** Purpose: missing or conflicting wiring fails at build() with a message that says how. */
  @Test
  void buildRejectsIncompleteWiring() {
    assertThatThrownBy(() -> MicroBatchDriver.builder().table(table).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("settings are required");
    assertThatThrownBy(() -> MicroBatchDriver.builder().settings(SETTINGS).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("a table is required");
    assertThatThrownBy(() -> MicroBatchDriver.builder().table(table)
        .settings(SETTINGS.toBuilder().tableUri("/tmp/x.lance").build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("leave the URI unset");
  }

  /** A port that is neither the fake nor a fault wrapper (a proxy): the driver must wrap it. */
  private static LanceTable plainPort(LanceTable delegate) {
    return (LanceTable) Proxy.newProxyInstance(LanceTable.class.getClassLoader(),
        new Class<?>[] {LanceTable.class}, (proxy, method, args) -> {
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
