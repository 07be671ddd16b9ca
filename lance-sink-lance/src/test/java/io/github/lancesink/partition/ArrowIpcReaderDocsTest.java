package io.github.lancesink.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PartitionReader of docs/partitions.md (one Arrow IPC file per partition) runs: the plain
 * Java runner writes exactly the files' rows into real Lance, and the page shows this code.
 */
class ArrowIpcReaderDocsTest {
  @TempDir Path dir;

  /**
   * Purpose: the documented reader works with the runner and `.sink(LanceSink.builder()...)`.
   * Steps: two partitions of one Arrow file each (ids 100..104, 200..202) with markers, one
   * cycle. Pass: both processed, exactly those ids in the table; a partition with two files
   * fails naming the partition; the page's reader block is this test's reader, word for word.
   */
  @Test
  void theDocumentedArrowIpcReaderFeedsTheRunner() throws IOException {
    Path base = dir.resolve("feed");
    arrowFile(base, 1, "part-0.arrow", 100, 5);
    arrowFile(base, 2, "part-0.arrow", 200, 3);
    PartitionReader reader = (partition, allocator) -> {
      if (partition.dataFiles().size() != 1) {
        throw new IOException("expected one Arrow file in " + partition.path() + ", found "
            + partition.dataFiles());
      }
      SourceFile file = partition.dataFiles().get(0);
      FileChannel channel = FileChannel.open(base.resolve(file.relativePath()));
      return new ArrowFileReader(channel, allocator);   // closing the reader closes the channel
    };
    String table = dir.resolve("t.lance").toString();
    try (PartitionRunner runner = PartitionRunner.builder()
        .lister(PartitionLister.localDirectory(base))
        .reader(reader)
        .sink(LanceSink.builder().tableUri(table).writerId("ads-partitions")
            .vectorColumn("vector", TextPartitions.DIM))
        .completeness(CompletenessRule.successMarker())
        .build()) {
      assertThat(runner.runOnce().processedPaths())
          .containsExactly(TextPartitions.path(1), TextPartitions.path(2));
      arrowFile(base, 3, "part-0.arrow", 300, 1);
      arrowFile(base, 3, "part-1.arrow", 301, 1);
      assertThatThrownBy(runner::runOnce).isInstanceOf(PartitionSourceException.class)
          .hasMessageContaining("expected one Arrow file in " + TextPartitions.path(3));
    }
    assertThat(TextPartitions.ids(table)).containsExactlyElementsOf(
        java.util.stream.Stream.concat(TextPartitions.range(100, 5).stream(),
            TextPartitions.range(200, 3).stream()).toList());

    String page = Files.readString(Path.of("..", "docs", "partitions.md"));
    int from = page.indexOf("PartitionReader reader = (partition, allocator) -> {");
    assertThat(from).as("the reader in docs/partitions.md").isPositive();
    String block = page.substring(from, page.indexOf("};", from) + 2);
    String self = Files.readString(Path.of("src/test/java", getClass().getName()
        .replace('.', '/') + ".java"));
    assertThat(squash(self)).contains(squash(block));
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** One Arrow IPC file of rows (id, grp, vector) with ids [from, from + n), and the marker. */
  private static void arrowFile(Path base, int minute, String name, long from, int n)
      throws IOException {
    Path partition = base.resolve(TextPartitions.path(minute));
    Files.createDirectories(partition);
    try (RootAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(TextPartitions.schema(), alloc);
        FileChannel ch = FileChannel.open(partition.resolve(name), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      root.allocateNew();
      BigIntVector id = (BigIntVector) root.getVector("id");
      VarCharVector grp = (VarCharVector) root.getVector("grp");
      FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
      Float4Vector vals = (Float4Vector) vec.getDataVector();
      vals.allocateNew(n * TextPartitions.DIM);
      for (int i = 0; i < n; i++) {
        id.setSafe(i, from + i);
        grp.setSafe(i, TextPartitions.path(minute).getBytes(StandardCharsets.UTF_8));
        vec.setNotNull(i);
        for (int j = 0; j < TextPartitions.DIM; j++) {
          vals.setSafe(i * TextPartitions.DIM + j, from + i + j);
        }
      }
      vals.setValueCount(n * TextPartitions.DIM);
      root.setRowCount(n);
      w.start();
      w.writeBatch();
      w.end();
    }
    Files.writeString(partition.resolve("_SUCCESS"), "");
  }
}
