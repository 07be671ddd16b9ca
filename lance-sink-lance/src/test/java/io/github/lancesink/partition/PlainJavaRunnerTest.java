package io.github.lancesink.partition;

import static io.github.lancesink.partition.TextPartitions.minute;
import static io.github.lancesink.partition.TextPartitions.path;
import static io.github.lancesink.partition.TextPartitions.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain Java runner (no Spark) on a local directory and a real Lance table. */
class PlainJavaRunnerTest {
  @TempDir Path dir;
  private TextPartitions files;
  private String table;

  @BeforeEach
  void setUp() {
    files = new TextPartitions(dir.resolve("feed"));
    table = dir.resolve("t.lance").toString();
  }

  private PartitionRunner.Builder runner() {
    LanceSinkBuilder sink = LanceSink.builder().tableUri(table).writerId("feed")
        .vectorColumn("vector", TextPartitions.DIM);
    return PartitionRunner.builder()
        .lister(PartitionLister.localDirectory(dir.resolve("feed")))
        .reader(files).sink(sink)
        .completeness(CompletenessRule.successMarker());
  }

  private static List<Long> all(List<Long>... parts) {
    List<Long> out = new ArrayList<>();
    for (List<Long> p : parts) {
      out.addAll(p);
    }
    out.sort(null);
    return out;
  }

  /**
   * Purpose: the plain Java surface processes complete partitions in order, resumes from the
   * table's own watermark, reports late files from the committed fingerprint, and stops at an
   * unreadable file naming it. Pass: exact ids, one commit per partition, the watermark, the
   * late report, the error text, and no progress past the bad partition.
   */
  @Test
  void processesInOrderResumesFromTheTableReportsLateDataAndStopsAtABadFile() {
    files.file(1, "a.txt", 100, 5);
    files.marker(1);
    files.file(2, "a.txt", 200, 5);
    files.marker(2);
    files.file(3, "a.txt", 300, 5); // no marker yet: waits
    try (PartitionRunner r = runner().build()) {
      CycleResult c = r.runOnce();
      assertThat(c.processedPaths()).containsExactly(path(1), path(2));
      assertThat(c.waiting()).containsExactly(path(3));
      assertThat(c.watermarkAfter()).contains(minute(2));
    }
    files.file(1, "late.txt", 150, 2);
    files.marker(3);
    files.write(path(4) + "/a.txt", "garbage");
    files.marker(4);
    try (PartitionRunner r = runner().build()) {
      assertThat(r.watermark()).contains(minute(2));
      assertThatThrownBy(r::runOnce).isInstanceOf(PartitionSourceException.class)
          .hasMessageContaining("Cannot read partition " + path(4))
          .hasMessageContaining(path(4) + "/a.txt is not a valid data file");
      assertThat(r.watermark()).contains(minute(3));
    }
    try (PartitionRunner r = runner().onBadPartition(BadPartitionPolicy.SKIP_AND_REPORT)
        .build()) {
      CycleResult c = r.runOnce();
      assertThat(c.lateData()).extracting(PartitionEvent.LateDataDetected::path)
          .containsExactly(path(1));
      assertThat(c.failed()).extracting(PartitionEvent.PartitionFailed::path)
          .containsExactly(path(4));
      assertThat(c.processed()).isEmpty();
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(all(range(100, 5), range(200, 5),
        range(300, 5)));
    assertThat(TextPartitions.commits(table)).containsExactly(
        "feed:" + minute(1).getEpochSecond() / 60 * 1000 + ":" + path(1),
        "feed:" + minute(2).getEpochSecond() / 60 * 1000 + ":" + path(2),
        "feed:" + minute(3).getEpochSecond() / 60 * 1000 + ":" + path(3));
  }

  @Test
  void reprocessNeedsReplaceGroups() {
    assertThatThrownBy(() -> runner().lateDataPolicy(LateDataPolicy.reprocess()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("replaceGroups");
  }

  /**
   * Purpose: requestStop() ends a run cleanly after the partition in progress, and a new runner
   * resumes from the table. Pass: the run reports STOP_REQUESTED after exactly one partition;
   * the next runner processes the remaining two, each id once.
   */
  @Test
  void requestStopEndsTheRunAfterThePartitionInProgressAndANewRunnerResumes() {
    for (int m = 1; m <= 3; m++) {
      files.file(m, "a.txt", m * 100L, 4);
      files.marker(m);
    }
    PartitionRunner[] self = new PartitionRunner[1];
    try (PartitionRunner r = runner().sleeper(d -> { }).onEvent(e -> {
      if (e instanceof PartitionEvent.PartitionProcessed) {
        self[0].requestStop();
      }
    }).build()) {
      self[0] = r;
      RunSummary run = r.runUntil(() -> false);
      assertThat(run.stopReason()).isEqualTo(RunSummary.StopReason.STOP_REQUESTED);
      assertThat(run.partitionsProcessed()).isEqualTo(1);
      assertThat(run.watermark()).contains(minute(1));
    }
    try (PartitionRunner r = runner().build()) {
      assertThat(r.runOnce().processedPaths()).containsExactly(path(2), path(3));
    }
    assertThat(TextPartitions.ids(table)).isEqualTo(all(range(100, 4), range(200, 4),
        range(300, 4)));
  }
}
