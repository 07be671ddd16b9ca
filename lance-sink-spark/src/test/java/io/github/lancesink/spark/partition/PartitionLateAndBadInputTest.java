package io.github.lancesink.spark.partition;

import static io.github.lancesink.spark.partition.PartitionFiles.ids;
import static io.github.lancesink.spark.partition.PartitionFiles.lanceIds;
import static io.github.lancesink.spark.partition.PartitionFiles.minute;
import static io.github.lancesink.spark.partition.PartitionFiles.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.partition.BadPartitionPolicy;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.LateDataPolicy;
import io.github.lancesink.partition.PartitionEvent;
import io.github.lancesink.partition.PartitionSourceException;
import io.github.lancesink.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Late files, malformed paths and unreadable files, on real Spark, Parquet and Lance. */
class PartitionLateAndBadInputTest {
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
        .basePath("file://" + dir.resolve("feed")).completeness(CompletenessRule.successMarker())
        .clock(clock).sleeper(d -> clock.advance(d));
  }

  /**
   * Purpose: a file landing in an already processed partition is detected and, under REPORT,
   * reported without writing, once per change, and again after a restart (the fingerprint the
   * detection compares with is read back from the Lance commit, not from memory). Pass: the
   * result and the event name the partition and the file counts; the table is unchanged.
   */
  @Test
  void lateFilesAreReportedFromTheCommittedFingerprintEvenAfterARestart() {
    files.complete(1, 5);
    files.complete(2, 5);
    List<PartitionEvent.LateDataDetected> events = new CopyOnWriteArrayList<>();
    SparkPartitionRunner.Builder b = runner().lateDataPolicy(LateDataPolicy.report())
        .onEvent(e -> {
          if (e instanceof PartitionEvent.LateDataDetected l) {
            events.add(l);
          }
        });
    try (SparkPartitionRunner r = b.build()) {
      assertThat(r.runOnce().processedPaths()).containsExactly(path(1), path(2));
      assertThat(r.runOnce().lateData()).isEmpty();
      files.file(1, 1, 5); // late file in processed partition 1
      CycleResult c = r.runOnce();
      assertThat(c.processed()).isEmpty();
      assertThat(c.lateData()).singleElement().satisfies(l -> {
        assertThat(l.path()).isEqualTo(path(1));
        assertThat(l.filesBefore()).isEqualTo(1);
        assertThat(l.filesNow()).isEqualTo(2);
        assertThat(l.action()).isEqualTo(LateDataPolicy.Kind.REPORT);
      });
      assertThat(r.runOnce().lateData()).as("reported once per change").isEmpty();
    }
    try (SparkPartitionRunner restarted = b.build()) {
      assertThat(restarted.runOnce().lateData()).extracting(PartitionEvent.LateDataDetected::path)
          .containsExactly(path(1));
    }
    assertThat(events).hasSize(2);
    List<Long> expected = new ArrayList<>(ids(1, 0, 5));
    expected.addAll(ids(2, 0, 5));
    assertThat(lanceIds(table)).isEqualTo(expected);
  }

  /**
   * Purpose: under {@code reprocess()} with {@code replaceGroups("grp")} a late file makes the
   * Spark runner write its partition again, replacing that partition's stored rows exactly
   * once. Steps: partitions 1 and 2 (5 rows each), then a late file of 3 rows in partition 1.
   * Pass: one reprocessed partition (revision 1, COMMITTED, 8 rows); later cycles reprocess
   * nothing; Lance holds every id exactly once (no duplicate of partition 1's first file).
   */
  @Test
  void aLateFileReplacesItsPartitionOnceUnderReplaceGroups() {
    files.complete(1, 5);
    files.complete(2, 5);
    try (SparkPartitionRunner r = runner(WriteMode.replaceGroups("grp"))
        .lateDataPolicy(LateDataPolicy.reprocess()).build()) {
      assertThat(r.runOnce().processedPaths()).containsExactly(path(1), path(2));
      files.file(1, 1, 3);
      CycleResult c = r.runOnce();
      assertThat(c.reprocessed()).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo(path(1));
        assertThat(p.revision()).isEqualTo(1);
        assertThat(p.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
        assertThat(p.rows()).isEqualTo(8);
      });
      assertThat(r.runOnce().reprocessed()).as("once per change").isEmpty();
    }
    List<Long> expected = new ArrayList<>(ids(1, 0, 5));
    expected.addAll(ids(1, 1, 3));
    expected.addAll(ids(2, 0, 5));
    assertThat(lanceIds(table)).isEqualTo(expected);
  }

  /**
   * Purpose: a malformed partition path and an unreadable file give clear errors naming the
   * path, and under SKIP_AND_REPORT do not block other partitions. Pass: the good partitions
   * land, the bad file's path is in the failure, the malformed path is reported.
   */
  @Test
  void skipAndReportNamesTheBadPathsAndKeepsGoing() {
    files.complete(1, 5);
    files.raw(path(2) + "/part-0.parquet", "this is not parquet");
    files.marker(2);
    files.complete(3, 5);
    files.raw("dt=2026-05-04/hour=10/minute=7x/part-0.parquet", "x");
    try (SparkPartitionRunner r = runner().onBadPartition(BadPartitionPolicy.SKIP_AND_REPORT)
        .build()) {
      CycleResult c = r.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(1), path(3));
      assertThat(c.failed()).singleElement().satisfies(f -> {
        assertThat(f.path()).isEqualTo(path(2));
        assertThat(f.message()).contains(path(2) + "/part-0.parquet")
            .contains("Cannot read partition " + path(2));
        assertThat(f.action()).isEqualTo(BadPartitionPolicy.SKIP_AND_REPORT);
      });
      assertThat(c.malformed()).singleElement().satisfies(m -> {
        assertThat(m.path()).isEqualTo("dt=2026-05-04/hour=10/minute=7x");
        assertThat(m.message()).contains("Malformed partition path")
            .contains("dt=2026-05-04/hour=10/minute=7x");
      });
    }
    List<Long> expected = new ArrayList<>(ids(1, 0, 5));
    expected.addAll(ids(3, 0, 5));
    assertThat(lanceIds(table)).isEqualTo(expected);
  }

  /**
   * Purpose: under STOP an unreadable file stops the cycle with an exception naming the file,
   * leaves the watermark before it, and the partition is retried once the file is fixed. Pass:
   * nothing after the bad partition is written until then, and then everything lands in order.
   */
  @Test
  void stopHaltsAtTheUnreadableFileAndResumesOnceItIsFixed() throws Exception {
    files.complete(1, 5);
    Path bad = files.raw(path(2) + "/part-0.parquet", "PAR1 truncated garbage");
    files.marker(2);
    files.complete(3, 5);
    try (SparkPartitionRunner r = runner().build()) {
      assertThatThrownBy(r::runOnce).isInstanceOf(PartitionSourceException.class)
          .hasMessageContaining(path(2) + "/part-0.parquet")
          .satisfies(e -> assertThat(((PartitionSourceException) e).path())
              .contains(path(2) + "/part-0.parquet"));
      assertThat(lanceIds(table)).isEqualTo(ids(1, 0, 5));
      assertThat(r.watermark()).contains(minute(1));
      Files.delete(bad);
      files.file(2, 0, 5);
      assertThat(r.runOnce().processedPaths()).containsExactly(path(2), path(3));
    }
    List<Long> expected = new ArrayList<>(ids(1, 0, 5));
    expected.addAll(ids(2, 0, 5));
    expected.addAll(ids(3, 0, 5));
    assertThat(lanceIds(table)).isEqualTo(expected);
  }
}
