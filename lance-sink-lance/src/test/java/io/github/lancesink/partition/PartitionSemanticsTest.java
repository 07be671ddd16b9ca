package io.github.lancesink.partition;

import static io.github.lancesink.partition.TextPartitions.minute;
import static io.github.lancesink.partition.TextPartitions.path;
import static io.github.lancesink.partition.TextPartitions.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facts docs/partitions.md ("Exact semantics") states about the plain-Java runner, each
 * checked on a local directory and a real Lance table: the meaning of lag and of the skip range,
 * skipToLatest on a first run, what waiting() lists, what a STOP cycle reports, and that late
 * files in skipped partitions are not reported.
 */
class PartitionSemanticsTest {
  @TempDir Path dir;
  private TextPartitions files;
  private String table;
  private final List<PartitionEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    files = new TextPartitions(dir.resolve("feed"));
    table = dir.resolve("t.lance").toString();
  }

  private PartitionRunner.Builder runner(LagPolicy lag) {
    return PartitionRunner.builder()
        .lister(PartitionLister.localDirectory(dir.resolve("feed")))
        .reader(files)
        .sink(LanceSink.builder().tableUri(table).writerId("feed")
            .vectorColumn("vector", TextPartitions.DIM))
        .completeness(CompletenessRule.successMarker())
        .lagPolicy(lag)
        .sleeper(d -> { })
        .onEvent(events::add);
  }

  /** Lands a complete partition at minute {@code m} with 3 rows, ids m*100 .. m*100+2. */
  private void complete(int m) {
    files.file(m, "a.txt", m * 100L, 3);
    files.marker(m);
  }

  private static List<Long> ids(int... minutes) {
    List<Long> out = new ArrayList<>();
    for (int m : minutes) {
      out.addAll(range(m * 100L, 3));
    }
    out.sort(null);
    return out;
  }

  /**
   * Purpose: under catch-up, waiting() lists a complete partition held behind an incomplete
   * one. Steps: minutes 1 and 3 complete, 2 without its marker; one cycle; then 2's marker and
   * another cycle. Pass: the first cycle writes only 1 and lists 2 and 3 as waiting; the second
   * writes 2 and 3 in order.
   */
  @Test
  void waitingListsCompletePartitionsHeldBehindAnIncompleteOne() {
    complete(1);
    files.file(2, "a.txt", 200, 3);
    complete(3);
    try (PartitionRunner r = runner(LagPolicy.catchUp()).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(1));
      assertThat(c.waiting()).containsExactly(path(2), path(3));
      files.marker(2);
      assertThat(r.runOnce().processedPaths()).containsExactly(path(2), path(3));
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(ids(1, 2, 3));
  }

  /**
   * Purpose: under BadPartitionPolicy.STOP a cycle's earlier commits are reported only by
   * events, and runFor loses its summary the same way; the commits are durable. Steps: minutes
   * 1 and 2 good, 3 unreadable; runOnce; then runFor on a new runner. Pass: runOnce throws; the
   * events hold PartitionProcessed COMMITTED for 1 and 2; the watermark and a new runner see
   * minute 2; runFor throws too; the table holds exactly 1 and 2.
   */
  @Test
  void underStopACyclesEarlierCommitsShowOnlyInEvents() {
    complete(1);
    complete(2);
    files.write(path(3) + "/a.txt", "garbage");
    files.marker(3);
    try (PartitionRunner r = runner(LagPolicy.catchUp()).build()) {
      assertThatThrownBy(r::runOnce).isInstanceOf(PartitionSourceException.class);
      assertThat(events).filteredOn(PartitionEvent.PartitionProcessed.class::isInstance)
          .map(e -> (PartitionEvent.PartitionProcessed) e)
          .extracting(PartitionEvent.PartitionProcessed::path,
              PartitionEvent.PartitionProcessed::outcome)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(path(1), BatchResult.Outcome.COMMITTED),
              org.assertj.core.groups.Tuple.tuple(path(2), BatchResult.Outcome.COMMITTED));
      assertThat(r.watermark()).contains(minute(2));
    }
    try (PartitionRunner r = runner(LagPolicy.catchUp()).build()) {
      assertThat(r.watermark()).contains(minute(2));
      assertThatThrownBy(() -> r.runFor(Duration.ofHours(1)))
          .isInstanceOf(PartitionSourceException.class);
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(ids(1, 2));
  }

  /**
   * Purpose: skipToLatest on a first run (no watermark) measures the lag from the oldest listed
   * partition, writes only the newest complete one and reports the rest as skipped. Steps:
   * minutes 1..10 complete, skipToLatest(5 min), one cycle. Pass: only minute 10 is written;
   * the skip has no watermark, from = minute 1, to = minute 9, lag 9 minutes, 9 paths.
   */
  @Test
  void skipToLatestOnAFirstRunSkipsFromTheOldestListedPartition() {
    for (int m = 1; m <= 10; m++) {
      complete(m);
    }
    try (PartitionRunner r = runner(LagPolicy.skipToLatest(Duration.ofMinutes(5))).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(10));
      PartitionEvent.PartitionsSkipped k = c.skipped().orElseThrow();
      assertThat(k.watermark()).isEmpty();
      assertThat(k.from()).isEqualTo(minute(1));
      assertThat(k.to()).isEqualTo(minute(9));
      assertThat(k.jumpedTo()).isEqualTo(minute(10));
      assertThat(k.lag()).isEqualTo(Duration.ofMinutes(9));
      assertThat(k.paths()).hasSize(9).startsWith(path(1)).endsWith(path(9));
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(ids(10));
  }

  /**
   * Purpose: lag is partition time, not wall clock, and skips only when strictly above maxLag.
   * Steps: minutes 1..4 complete (months behind the wall clock), skipToLatest(3 min): the lag
   * from the oldest listed partition is exactly 3 minutes. Pass: no skip; all four written.
   */
  @Test
  void lagIsPartitionTimeAndALagEqualToTheLimitDoesNotSkip() {
    for (int m = 1; m <= 4; m++) {
      complete(m);
    }
    try (PartitionRunner r = runner(LagPolicy.skipToLatest(Duration.ofMinutes(3))).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.skipped()).isEmpty();
      assertThat(c.processedPaths()).containsExactly(path(1), path(2), path(3), path(4));
    }
  }

  /**
   * Purpose: the skip range is [watermark + 1 partition, jumpedTo - 1 partition], passes over
   * incomplete partitions too, and late files in skipped partitions are never reported as late
   * data (only in processed ones). Steps: write minute 1; land 2..8 with 4 incomplete;
   * skipToLatest(3 min); then add files to skipped minute 3 and processed minute 8, complete 4,
   * and run a new runner. Pass: the skip names from 2, to 7, jumpedTo 8, lag 7 min and paths
   * 2..7 including 4; the next cycle reports late data only for minute 8 and writes nothing; the
   * table holds minutes 1 and 8 only.
   */
  @Test
  void theSkipRangeIsExactAndLateFilesInSkippedPartitionsAreNotReported() {
    complete(1);
    try (PartitionRunner r = runner(LagPolicy.catchUp()).build()) {
      assertThat(r.runOnce().processedPaths()).containsExactly(path(1));
    }
    for (int m = 2; m <= 8; m++) {
      if (m == 4) {
        files.file(4, "a.txt", 400, 3);
      } else {
        complete(m);
      }
    }
    LagPolicy skip = LagPolicy.skipToLatest(Duration.ofMinutes(3));
    try (PartitionRunner r = runner(skip).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(8));
      PartitionEvent.PartitionsSkipped k = c.skipped().orElseThrow();
      assertThat(k.watermark()).contains(minute(1));
      assertThat(k.from()).isEqualTo(minute(2));
      assertThat(k.to()).isEqualTo(minute(7));
      assertThat(k.jumpedTo()).isEqualTo(minute(8));
      assertThat(k.lag()).isEqualTo(Duration.ofMinutes(7));
      assertThat(k.paths()).containsExactly(path(2), path(3), path(4), path(5), path(6),
          path(7));
    }
    files.file(3, "late.txt", 350, 2);
    files.file(8, "late.txt", 850, 2);
    files.marker(4);
    try (PartitionRunner r = runner(skip).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.lateData()).extracting(PartitionEvent.LateDataDetected::path)
          .containsExactly(path(8));
      assertThat(c.processed()).isEmpty();
      assertThat(c.skipped()).isEmpty();
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(ids(1, 8));
  }

  /**
   * Purpose: a skip becomes durable only when the jumped-to partition commits. Steps: write
   * minute 1; land 2..6 with 6 unreadable; skipToLatest(2 min) under STOP; then a new runner;
   * then fix minute 6 and run again. Pass: the first cycle publishes the skip and throws; the
   * table's watermark is still minute 1, so a new runner decides the same skip again and throws
   * again; after the fix the skip is reported a third time and minute 6 is written.
   */
  @Test
  void aSkipIsDurableOnlyOnceTheJumpedToPartitionCommits() {
    complete(1);
    try (PartitionRunner r = runner(LagPolicy.catchUp()).build()) {
      r.runOnce();
    }
    for (int m = 2; m <= 5; m++) {
      complete(m);
    }
    files.write(path(6) + "/a.txt", "garbage");
    files.marker(6);
    LagPolicy skip = LagPolicy.skipToLatest(Duration.ofMinutes(2));
    for (int attempt = 1; attempt <= 2; attempt++) {
      events.clear();
      try (PartitionRunner r = runner(skip).build()) {
        assertThat(r.watermark()).as("attempt %d", attempt).contains(minute(1));
        assertThatThrownBy(r::runOnce).isInstanceOf(PartitionSourceException.class);
      }
      assertThat(events).filteredOn(PartitionEvent.PartitionsSkipped.class::isInstance)
          .as("attempt %d", attempt).hasSize(1);
    }
    files.file(6, "a.txt", 600, 3);
    try (PartitionRunner r = runner(skip).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.skipped()).get().extracting(PartitionEvent.PartitionsSkipped::from,
          PartitionEvent.PartitionsSkipped::to).containsExactly(minute(2), minute(5));
      assertThat(c.processedPaths()).containsExactly(path(6));
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(ids(1, 6));
  }
}
