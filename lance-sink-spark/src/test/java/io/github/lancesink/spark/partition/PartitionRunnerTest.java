package io.github.lancesink.spark.partition;

import static io.github.lancesink.spark.partition.PartitionFiles.batch;
import static io.github.lancesink.spark.partition.PartitionFiles.ids;
import static io.github.lancesink.spark.partition.PartitionFiles.lanceIds;
import static io.github.lancesink.spark.partition.PartitionFiles.minute;
import static io.github.lancesink.spark.partition.PartitionFiles.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.LagPolicy;
import io.github.lancesink.partition.PartitionEvent;
import io.github.lancesink.partition.RunSummary;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on real Spark local[2], real Parquet files and a real Lance table. */
class PartitionRunnerTest {
  private static SparkSession spark;

  @TempDir Path dir;
  private PartitionFiles files;
  private String table;
  private final ManualClock clock = new ManualClock(minute(30));

  @BeforeAll
  static void startSpark() {
    spark = PartitionFiles.session();
  }

  @BeforeEach
  void setUp() {
    files = new PartitionFiles(spark, dir.resolve("feed"), dir.resolve("scratch"));
    table = dir.resolve("items.lance").toString();
  }

  private SparkPartitionRunner.Builder runner() {
    return runner(WriteMode.append());
  }

  private SparkPartitionRunner.Builder runner(WriteMode mode) {
    return SparkPartitionRunner.builder(spark)
        .settings(LanceSinkSettings.builder()
            .tableUri(table)
            .writerId("feed-sync")
            .writeMode(mode)
            .vectorColumn("vector", PartitionFiles.DIM)
            .build())
        .basePath(dir.resolve("feed").toString()).completeness(CompletenessRule.successMarker())
        .clock(clock).sleeper(d -> clock.advance(d));
  }

  private static List<Long> idsOf(int... minutes) {
    List<Long> out = new ArrayList<>();
    for (int m : minutes) {
      out.addAll(ids(m, 0, 5));
    }
    out.sort(null);
    return out;
  }

  /** A source that writes its fragments and then dies before the commit: a crash mid-partition. */
  private static BatchSource crashingAfterStage(BatchSource inner) {
    return new BatchSource() {
      @Override
      public Schema schema() {
        return inner.schema();
      }

      @Override
      public Staged stage(LanceTable t, long batchId) {
        inner.stage(t, batchId);
        throw new IllegalStateException("simulated crash after staging batch " + batchId);
      }

      @Override
      public java.util.Map<String, String> commitProperties() {
        return inner.commitProperties();
      }
    };
  }

  /**
   * Purpose: a crash in the middle of a partition loses nothing and duplicates nothing. Steps:
   * six complete partitions; the first runner dies after staging the third; a new runner (cold
   * ledger) resumes; a seventh partition arrives. Pass: every id exactly once, one commit per
   * partition in time order, the watermark read back from the table.
   */
  @Test
  void crashMidPartitionThenRestartLandsEveryPartitionExactlyOnceInOrder() {
    for (int m = 1; m <= 6; m++) {
      files.complete(m, 5);
    }
    try (SparkPartitionRunner first = runner().sourceDecorator(s -> s).build()) {
      // a healthy first cycle limited to two partitions: stop after the second one
      first.onEvent(e -> {
        if (e instanceof PartitionEvent.PartitionProcessed p && p.time().equals(minute(2))) {
          first.requestStop();
        }
      });
      CycleResult c = first.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(1), path(2));
    }
    try (SparkPartitionRunner crashing = runner().sourceDecorator(
        PartitionRunnerTest::crashingAfterStage).build()) {
      assertThat(crashing.watermark()).contains(minute(2));
      assertThatThrownBy(crashing::runOnce).hasMessageContaining("simulated crash");
    }
    assertThat(lanceIds(table)).isEqualTo(idsOf(1, 2));
    try (SparkPartitionRunner resumed = runner().build()) {
      assertThat(resumed.watermark()).contains(minute(2));
      CycleResult c = resumed.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(3), path(4), path(5), path(6));
      assertThat(c.processed()).extracting(PartitionEvent.PartitionProcessed::outcome)
          .containsOnly(BatchResult.Outcome.COMMITTED);
      files.complete(7, 5);
      assertThat(resumed.runOnce().processedPaths()).containsExactly(path(7));
      assertThat(resumed.runOnce().processed()).isEmpty();
    }
    assertThat(lanceIds(table)).isEqualTo(idsOf(1, 2, 3, 4, 5, 6, 7));
    assertThat(PartitionFiles.commits(table)).containsExactlyElementsOf(IntStream
        .rangeClosed(1, 7).mapToObj(m -> "feed-sync:" + batch(m) + ":" + path(m)).toList());
  }

  /**
   * Purpose: SKIP_TO_LATEST jumps over an outage visibly and never goes back. Steps: one
   * partition processed; an outage of seven partitions (one still incomplete); one cycle; then
   * the incomplete one completes and a new one arrives; then a restart. Pass: only the newest
   * is processed, the skipped range and paths are in the result and the event, and no skipped
   * partition is ever written.
   */
  @Test
  void skipToLatestAfterAnOutageJumpsRecordsTheRangeAndNeverGoesBack() {
    List<PartitionEvent.PartitionsSkipped> events = new CopyOnWriteArrayList<>();
    SparkPartitionRunner.Builder b = runner().lagPolicy(LagPolicy.skipToLatest(
        Duration.ofMinutes(3))).onEvent(e -> {
          if (e instanceof PartitionEvent.PartitionsSkipped s) {
            events.add(s);
          }
        });
    files.complete(1, 5);
    try (SparkPartitionRunner r = b.build()) {
      assertThat(r.runOnce().processedPaths()).containsExactly(path(1));
      for (int m = 2; m <= 8; m++) {
        if (m == 4) {
          files.file(4, 0, 5); // still being written during the outage: no marker yet
        } else {
          files.complete(m, 5);
        }
      }
      CycleResult c = r.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(8));
      var skipped = c.skipped().orElseThrow();
      assertThat(skipped.from()).isEqualTo(minute(2));
      assertThat(skipped.to()).isEqualTo(minute(7));
      assertThat(skipped.jumpedTo()).isEqualTo(minute(8));
      assertThat(skipped.lag()).isEqualTo(Duration.ofMinutes(7));
      assertThat(skipped.paths()).containsExactly(path(2), path(3), path(4), path(5), path(6),
          path(7));
      assertThat(events).containsExactly(skipped);
      files.marker(4);
      files.complete(9, 5);
      assertThat(r.runOnce().processedPaths()).containsExactly(path(9));
    }
    try (SparkPartitionRunner restarted = b.build()) {
      assertThat(restarted.runOnce().processed()).isEmpty();
    }
    assertThat(lanceIds(table)).isEqualTo(idsOf(1, 8, 9));
  }

  /**
   * Purpose: a partition listed while still being written is not processed until its listing
   * has been stable for the configured time. Steps: one file; a second file added 20 s later;
   * cycles at 40 s and 55 s after the first listing. Pass: nothing before 30 s of stability
   * after the last change, then both files' rows in one commit.
   */
  @Test
  void aPartitionStillBeingWrittenWaitsUntilItsListingIsStable() {
    files.file(1, 0, 5);
    try (SparkPartitionRunner r = runner()
        .completeness(CompletenessRule.stableFor(Duration.ofSeconds(30))).build()) {
      CycleResult first = r.runOnce();
      assertThat(first.processed()).isEmpty();
      assertThat(first.waiting()).containsExactly(path(1));
      clock.advance(Duration.ofSeconds(20));
      files.file(1, 1, 5); // added after the first listing
      assertThat(r.runOnce().processed()).isEmpty();
      clock.advance(Duration.ofSeconds(20));
      assertThat(r.runOnce().processed()).as("only 20 s since the change").isEmpty();
      assertThat(lanceIds(table)).isEmpty();
      clock.advance(Duration.ofSeconds(15));
      CycleResult done = r.runOnce();
      assertThat(done.processedPaths()).containsExactly(path(1));
      assertThat(done.processed().get(0).files()).isEqualTo(2);
      assertThat(done.processed().get(0).rows()).isEqualTo(10);
    }
    List<Long> expected = new ArrayList<>(ids(1, 0, 5));
    expected.addAll(ids(1, 1, 5));
    assertThat(lanceIds(table)).isEqualTo(expected);
  }

  /**
   * Purpose: a scheduled restart stops cleanly and resumes. Steps: runFor(5 min) at a 1-minute
   * cadence on the manual clock while a partition arrives during each sleep; then a new runner.
   * Pass: the run ends by DEADLINE after five cycles with every arrived partition processed
   * once; the new runner resumes from the table's watermark and processes only new arrivals.
   */
  @Test
  void runForStopsAtItsDeadlineAndANewRunnerResumesFromTheTable() {
    int[] next = {1};
    files.complete(next[0]++, 5);
    SparkPartitionRunner.Builder b = runner().cadence(Duration.ofMinutes(1)).sleeper(d -> {
      clock.advance(d);
      files.complete(next[0]++, 5); // a partition lands while the runner sleeps
    });
    RunSummary run;
    try (SparkPartitionRunner r = b.build()) {
      run = r.runFor(Duration.ofMinutes(5));
    }
    assertThat(run.stopReason()).isEqualTo(RunSummary.StopReason.DEADLINE);
    assertThat(run.cycles()).hasSize(5);
    assertThat(run.partitionsProcessed()).isEqualTo(5);
    assertThat(run.watermark()).contains(minute(5));
    try (SparkPartitionRunner r = runner().build()) {
      assertThat(r.watermark()).contains(minute(5));
      // the sixth partition arrived during the last sleep
      assertThat(r.runOnce().processedPaths()).containsExactly(path(6));
    }
    assertThat(lanceIds(table)).isEqualTo(idsOf(1, 2, 3, 4, 5, 6));
  }

  @Test
  void reprocessWithoutReplaceGroupsIsRejectedBeforeAnythingRuns() {
    assertThatThrownBy(() -> runner(WriteMode.append())
        .lateDataPolicy(io.github.lancesink.partition.LateDataPolicy.reprocess()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replaceGroups")
        .hasMessageContaining("append()");
    assertThat(lanceIds(table)).isEmpty();
  }

  static String joined(List<?> l) {
    return l.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
