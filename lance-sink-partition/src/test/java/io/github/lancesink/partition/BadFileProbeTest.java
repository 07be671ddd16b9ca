package io.github.lancesink.partition;

import static io.github.lancesink.partition.TextPartitions.minute;
import static io.github.lancesink.partition.TextPartitions.path;
import static io.github.lancesink.partition.TextPartitions.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain Java runner names the corrupt file itself: the reader here, like many real ones,
 * fails with a message that names no file ("missing Magic number"), either when opened or only
 * when it reaches the bad file's rows. Real Lance table, local directory.
 */
class BadFileProbeTest {
  @TempDir Path dir;
  private Path feed;
  private String table;
  /** Every snapshot the reader was opened on, as its file names joined by '+'. */
  private final List<String> opened = new CopyOnWriteArrayList<>();
  private final List<PartitionEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    feed = dir.resolve("feed");
    table = dir.resolve("t.lance").toString();
  }

  /**
   * Purpose: when a partition of three files fails to read, the runner opens the reader on
   * each file alone and names the one that fails, in the exception (message and {@code path()})
   * and in the PartitionFailed event, under both bad-partition policies, whether the reader
   * fails at open or lazily mid-stream (then the failure surfaces through Lance's fragment
   * writer). Steps: partitions 1 (good), 2 (a good, b corrupt, c good), 3 (good). Pass: STOP
   * throws naming b.txt after committing only partition 1; SKIP_AND_REPORT reports b.txt and
   * commits 3; the reader was opened on the single files of partition 2; nothing of partition 2
   * reaches the table.
   */
  @ParameterizedTest(name = "lazy={0}")
  @CsvSource({"false", "true"})
  void namesTheCorruptFileUnderBothPolicies(boolean lazy) throws IOException {
    TextPartitions files = new TextPartitions(feed);
    files.file(1, "a.txt", 100, 3);
    files.marker(1);
    files.file(2, "a.txt", 200, 3);
    files.write(path(2) + "/b.txt", "PAR1-truncated");
    files.file(2, "c.txt", 250, 3);
    files.marker(2);
    files.file(3, "a.txt", 300, 3);
    files.marker(3);
    String bad = path(2) + "/b.txt";

    try (PartitionRunner r = runner(lazy, BadPartitionPolicy.STOP).build()) {
      assertThatThrownBy(r::runOnce).isInstanceOfSatisfying(PartitionSourceException.class,
          e -> {
            assertThat(e.getMessage()).contains("Cannot read partition " + path(2) + " (3 files)")
                .contains("file " + bad).contains("missing Magic number")
                .contains("Nothing of this partition was committed");
            assertThat(e.path()).isEqualTo(bad);
          });
      assertThat(r.watermark()).contains(minute(1));
    }
    assertThat(failures()).singleElement().satisfies(f -> {
      assertThat(f.path()).isEqualTo(path(2));
      assertThat(f.message()).contains("file " + bad).contains("missing Magic number");
      assertThat(f.action()).isEqualTo(BadPartitionPolicy.STOP);
    });
    assertThat(opened).contains("a.txt+b.txt+c.txt", "a.txt", "b.txt");
    assertThat(TextPartitions.ids(table)).isEqualTo(range(100, 3));

    events.clear();
    opened.clear();
    try (PartitionRunner r = runner(lazy, BadPartitionPolicy.SKIP_AND_REPORT).build()) {
      CycleResult c = r.runOnce();
      assertThat(c.failed()).singleElement().satisfies(f -> {
        assertThat(f.path()).isEqualTo(path(2));
        assertThat(f.message()).contains("file " + bad).contains("missing Magic number");
        assertThat(f.action()).isEqualTo(BadPartitionPolicy.SKIP_AND_REPORT);
      });
      assertThat(c.processedPaths()).containsExactly(path(3));
    }
    assertThat(failures()).hasSize(1);
    assertThat(opened).contains("a.txt", "b.txt").doesNotContain("c.txt");
    List<Long> want = new ArrayList<>(range(100, 3));
    want.addAll(range(300, 3));
    assertThat(TextPartitions.ids(table)).isEqualTo(want);
  }

  /**
   * Purpose: when every file reads alone, the runner does not blame one at random; it says so
   * and keeps the reader's own error. Pass: the message lists the check and the exception's
   * path is the partition.
   */
  @ParameterizedTest(name = "lazy={0}")
  @CsvSource({"false", "true"})
  void saysSoWhenNoSingleFileFails(boolean lazy) {
    TextPartitions files = new TextPartitions(feed);
    files.file(1, "a.txt", 100, 3);
    files.file(1, "b.txt", 200, 3);
    files.marker(1);
    failWholePartition = true;
    try (PartitionRunner r = runner(lazy, BadPartitionPolicy.STOP).build()) {
      assertThatThrownBy(r::runOnce).isInstanceOfSatisfying(PartitionSourceException.class,
          e -> {
            assertThat(e.getMessage()).contains("Cannot read partition " + path(1) + " (2 files)")
                .contains("files do not fit together").contains("each of its 2 files")
                .contains("read alone without error");
            assertThat(e.path()).isEqualTo(path(1));
          });
    }
    assertThat(opened).containsExactly("a.txt+b.txt", "a.txt", "b.txt");
  }

  private boolean failWholePartition;

  private List<PartitionEvent.PartitionFailed> failures() {
    return events.stream().filter(PartitionEvent.PartitionFailed.class::isInstance)
        .map(PartitionEvent.PartitionFailed.class::cast).toList();
  }

  private PartitionRunner.Builder runner(boolean lazy, BadPartitionPolicy policy) {
    return PartitionRunner.builder()
        .lister(PartitionLister.localDirectory(feed))
        .reader((p, alloc) -> open(p, alloc, lazy))
        .sink(LanceSink.builder().tableUri(table).writerId("feed")
            .vectorColumn("vector", TextPartitions.DIM))
        .completeness(CompletenessRule.successMarker())
        .onBadPartition(policy)
        .onEvent(events::add);
  }

  /** Reads "from,count" files; a bad one fails without naming itself. */
  private ArrowReader open(PartitionSnapshot p, BufferAllocator alloc, boolean lazy)
      throws IOException {
    opened.add(String.join("+", p.dataFiles().stream().map(SourceFile::name).toList()));
    if (failWholePartition && p.fileCount() > 1) {
      throw new IOException("files do not fit together");
    }
    List<long[]> ranges = new ArrayList<>();
    for (SourceFile f : p.dataFiles()) {
      ranges.add(lazy ? null : parse(f));
    }
    List<TextPartitions.Filler> fillers = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      int k = i;
      fillers.add(root -> {
        long[] r = ranges.get(k) != null ? ranges.get(k) : parse(p.dataFiles().get(k));
        TextPartitions.fill(root, r[0], (int) r[1], p.path());
      });
    }
    return TextPartitions.batches(alloc, TextPartitions.schema(), fillers);
  }

  private long[] parse(SourceFile f) throws IOException {
    String text = Files.readString(feed.resolve(f.relativePath())).trim();
    try {
      String[] parts = text.split(",");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (RuntimeException e) {
      throw new IOException("missing Magic number");
    }
  }
}
