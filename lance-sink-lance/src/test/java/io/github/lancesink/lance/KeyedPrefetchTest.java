package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.TestRows;
import io.github.lancesink.spi.KeyedChange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys looked up ahead of a keyed commit ({@code prefetchKeyed}) are only used when the commit
 * reads the same version. Here another writer commits a second row of a deleted key after the
 * prefetch: the commit must look up again and remove both rows.
 */
class KeyedPrefetchTest {
  @TempDir Path dir;

  private static void append(NativeLanceTable t, RootAllocator alloc, long from, int n)
      throws Exception {
    try (ArrowReader r = TestRows.reader(alloc, from, n, 4)) {
      t.commitAppend(t.latestVersion().getAsLong(), List.of(t.writeFragments(r)), Map.of());
    }
  }

  private static List<Long> ids(NativeLanceTable t) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (ArrowReader scan = t.scan(OptionalLong.empty(), List.of("id"))) {
      while (scan.loadNextBatch()) {
        BigIntVector v = (BigIntVector) scan.getVectorSchemaRoot().getVector("id");
        for (int i = 0; i < v.getValueCount(); i++) {
          ids.add(v.get(i));
        }
      }
    }
    return ids;
  }

  /**
   * Purpose: a prefetch made stale by a later commit is not used. Steps: rows 0..9 with a key
   * index; prefetch deleting keys 1 and 2; a second table handle appends another row with key
   * 1; commit the delete at the latest version. Pass: no row with key 1 or 2 remains, the other
   * eight rows do.
   */
  @Test
  void aStalePrefetchIsLookedUpAgain() throws Exception {
    String uri = dir.resolve("t.lance").toString();
    try (RootAllocator alloc = new RootAllocator();
        NativeLanceTable table = new NativeLanceTable(uri, Map.of());
        NativeLanceTable other = new NativeLanceTable(uri, Map.of())) {
      table.createIfAbsent(TestRows.schema(4));
      append(table, alloc, 0, 10);
      table.keyedWrites().orElseThrow().ensureKeyIndex(List.of("id"));
      KeyedChange change =
          new KeyedChange(List.of("id"), Set.of(), Set.of(List.of(1L), List.of(2L)));
      table.keyedWrites().orElseThrow().prefetchKeyed(change);
      append(other, alloc, 1, 1); // a second row with key 1, after the prefetch's version
      long read = table.latestVersion().getAsLong();
      table.keyedWrites().orElseThrow().commitKeyed(read, change, List.of(), Map.of());
      assertThat(ids(table)).containsExactlyInAnyOrder(0L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }
  }

  /**
   * Purpose: a prefetch at the commit's version gives the same result as a lookup. Steps: rows
   * 0..9, prefetch deleting keys 4 and 5, commit at the same version. Pass: eight rows remain,
   * and the commit reports two removed rows.
   */
  @Test
  void aCurrentPrefetchIsUsed() throws Exception {
    String uri = dir.resolve("t.lance").toString();
    try (RootAllocator alloc = new RootAllocator();
        NativeLanceTable table = new NativeLanceTable(uri, Map.of())) {
      table.createIfAbsent(TestRows.schema(4));
      append(table, alloc, 0, 10);
      table.keyedWrites().orElseThrow().ensureKeyIndex(List.of("id"));
      KeyedChange change =
          new KeyedChange(List.of("id"), Set.of(), Set.of(List.of(4L), List.of(5L)));
      table.keyedWrites().orElseThrow().prefetchKeyed(change);
      var done = table.keyedWrites().orElseThrow().commitKeyed(table.latestVersion().getAsLong(), change, List.of(),
          Map.of());
      assertThat(done.removedRows()).isEqualTo(2);
      assertThat(ids(table)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 6L, 7L, 8L, 9L);
    }
  }
}
