package io.github.lancesink.partition;

import static io.github.lancesink.partition.TextPartitions.minute;
import static io.github.lancesink.partition.TextPartitions.path;
import static io.github.lancesink.partition.TextPartitions.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late data under {@link LateDataPolicy#reprocess()} with {@code replaceGroups("grp")} (the
 * group column holds the partition path), on a real Lance table.
 */
class ReprocessLateDataTest {
  @TempDir Path dir;

  private PartitionRunner runner(TextPartitions files, String table) {
    return PartitionRunner.builder()
        .lister(PartitionLister.localDirectory(dir.resolve("feed")))
        .reader(files)
        .sink(LanceSink.builder().tableUri(table).writerId("feed")
            .writeMode(WriteMode.replaceGroups("grp")).vectorColumn("vector", TextPartitions.DIM))
        .completeness(CompletenessRule.successMarker())
        .lateDataPolicy(LateDataPolicy.reprocess())
        .build();
  }

  /**
   * Purpose: a late file makes the partition be written again, replacing its rows, exactly once
   * per change, even across restarts; the watermark does not move. Steps: two partitions; a
   * late file in the first; cycles; a restart; a late file in the second. Pass: the table holds
   * every file's ids once; the re-processed partitions are commits of the same writer with
   * revisions 1 and 2 after the watermark partition, and the watermark stays there.
   */
  @Test
  void aLateFileReplacesThePartitionOncePerChangeEvenAcrossRestarts() {
    TextPartitions files = new TextPartitions(dir.resolve("feed"));
    String table = dir.resolve("t.lance").toString();
    files.file(1, "a.txt", 100, 5);
    files.marker(1);
    files.file(2, "a.txt", 200, 5);
    files.marker(2);
    try (PartitionRunner r = runner(files, table)) {
      assertThat(r.runOnce().processedPaths()).containsExactly(path(1), path(2));
      files.file(1, "late.txt", 150, 3);
      CycleResult c = r.runOnce();
      assertThat(c.lateData()).extracting(PartitionEvent.LateDataDetected::path)
          .containsExactly(path(1));
      assertThat(c.reprocessed()).singleElement().satisfies(p -> {
        assertThat(p.batchId()).isEqualTo(minute(2).getEpochSecond() / 60 * 1000 + 1);
        assertThat(p.revision()).isEqualTo(1);
        assertThat(p.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
        assertThat(p.rows()).isEqualTo(8);
      });
      assertThat(r.runOnce().reprocessed()).as("once per change").isEmpty();
      assertThat(r.watermark()).contains(minute(2));
    }
    try (PartitionRunner r = runner(files, table)) {
      assertThat(r.runOnce().reprocessed()).as("not again after a restart").isEmpty();
      files.file(2, "late.txt", 250, 2);
      assertThat(r.runOnce().reprocessed()).extracting(PartitionEvent.PartitionReprocessed::revision)
          .containsExactly(2L);
      assertThat(r.watermark()).contains(minute(2));
    }
    List<Long> expected = new ArrayList<>(range(100, 5));
    expected.addAll(range(150, 3));
    expected.addAll(range(200, 5));
    expected.addAll(range(250, 2));
    expected.sort(null);
    assertThat(TextPartitions.ids(table)).isEqualTo(expected);
    assertThat(TextPartitions.commits(table)).containsExactly(
        "feed:" + minute(1).getEpochSecond() / 60 * 1000 + ":" + path(1),
        "feed:" + minute(2).getEpochSecond() / 60 * 1000 + ":" + path(2),
        "feed:" + (minute(2).getEpochSecond() / 60 * 1000 + 1) + ":" + path(1),
        "feed:" + (minute(2).getEpochSecond() / 60 * 1000 + 2) + ":" + path(2));
  }
}
