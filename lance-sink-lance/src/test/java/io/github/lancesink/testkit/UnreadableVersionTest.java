package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LedgerException;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version whose transaction cannot be read may hold this writer's newest marker. The ledger
 * must fail closed on it (a {@link LedgerException} naming the version), never take it for "not
 * one of ours" and commit a replayed batch a second time. Shown on the fake and on real Lance
 * with a damaged transaction file.
 */
class UnreadableVersionTest {
  static final int DIM = 4;
  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  private LanceSink sink(LanceTable table) {
    return LanceSink.builder().table(table).writerId("w").vectorColumn("vector", DIM)
        .optimizePolicy(OptimizePolicy.never()).build();
  }

  /**
   * Purpose: the fake's damaged transaction hides the newest marker. Steps: batches 0-2, the
   * version of batch 2 is damaged, a cold sink replays batch 2. Pass: LedgerException naming
   * that version; 15 rows, batch 2 committed once.
   */
  @Test
  void aDamagedMarkerVersionOnTheFakeFailsClosed() throws Exception {
    InMemoryLanceTable table = InMemoryLanceTable.create();
    try (LanceSink sink = sink(table)) {
      for (long b = 0; b < 3; b++) {
        try (var in = TestBatch.sequential(b * 5, 5, DIM).reader(allocator)) {
          sink.write(b, in);
        }
      }
    }
    long markerVersion = table.latestVersion().orElseThrow();
    table.damageTransaction(markerVersion);

    try (LanceSink cold = sink(table)) {
      try (var replay = TestBatch.sequential(10, 5, DIM).reader(allocator)) {
        assertThatThrownBy(() -> cold.write(2, replay))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining("version " + markerVersion)
          .hasMessageContaining("fails closed");
      }
    }
    assertThat(table).hasRowCount(15).hasLatestVersion(markerVersion);
  }

  /**
   * Purpose: the same on real Lance, with the version's transaction damaged on disk. Steps:
   * batches 0-2 of writer w, then one batch of another writer (so the damaged version is not the
   * newest, which Lance decodes on open); w's batch-2 version gets its transaction file and its
   * manifest's inline transaction damaged; a cold sink replays batch 2. Pass: LedgerException
   * naming the version and Lance's decode error; 20 rows and no new version.
   */
  @Test
  void aDamagedTransactionOnRealLanceFailsClosed() throws Exception {
    String uri = dir.resolve("t.lance").toString();
    Path txns = dir.resolve("t.lance").resolve("_transactions");
    Set<Path> before = Set.of();
    Set<Path> added;
    long markerVersion;
    try (NativeLanceTable table = new NativeLanceTable(uri, Map.of());
        LanceSink sink = sink(table)) {
      for (long b = 0; b < 3; b++) {
        before = files(txns);
        try (var in = TestBatch.sequential(b * 5, 5, DIM).reader(allocator)) {
          sink.write(b, in);
        }
      }
      added = files(txns);
      added.removeAll(before);
      markerVersion = table.latestVersion().orElseThrow();
    }
    try (LanceSink other = LanceSink.builder().tableUri(uri).writerId("other")
        .vectorColumn("vector", DIM).optimizePolicy(OptimizePolicy.never()).build();
        var in = TestBatch.sequential(100, 5, DIM).reader(allocator)) {
      other.write(0, in);
    }
    assertThat(added).as("transaction files written by batch 2's commit").hasSize(1);
    Files.write(added.iterator().next(), new byte[] {0x13, 0x37, 0x00, 0x42, 0x7f});
    // Lance 7.0.0 also keeps the transaction inline in the version's manifest: make its
    // properties undecodable there too (invalid UTF-8 in a protobuf string).
    assertThat(damageInlineTransaction(manifest(dir.resolve("t.lance"), markerVersion)))
        .as("inline marker properties found in the manifest").isPositive();

    try (NativeLanceTable table = new NativeLanceTable(uri, Map.of());
        LanceSink cold = sink(table)) {
      long latest = table.latestVersion().orElseThrow();
      try (var replay = TestBatch.sequential(10, 5, DIM).reader(allocator)) {
        assertThatThrownBy(() -> cold.write(2, replay))
            .isInstanceOf(LedgerException.class)
            .hasMessageContaining("version " + markerVersion)
            .hasMessageContaining("fails closed")
            .hasMessageContaining("UTF-8");
      }
      assertThat(table.latestVersion()).hasValue(latest);
      assertThat(table).hasRowCount(20);
    }
  }

  /**
   * Purpose: the one read error that is not a damaged version. lance-core 7.0.0's binding
   * cannot convert a compaction (Rewrite) that remaps an index; that version must read as "no
   * marker", or every sink would stop after its first compaction of indexed fragments. Steps:
   * three batches, a BTREE index on id, Lance's own compaction, a cold sink replays batch 2 and
   * writes batch 3. Pass: the compaction versions report NONE, the replay is skipped, batch 3
   * commits, 20 rows.
   */
  @Test
  void aCompactionThatRemapsAnIndexIsReadAsNoMarker() throws Exception {
    String uri = dir.resolve("c.lance").toString();
    long before;
    try (NativeLanceTable table = new NativeLanceTable(uri, Map.of());
        LanceSink sink = sink(table)) {
      for (long b = 0; b < 3; b++) {
        try (var in = TestBatch.sequential(b * 5, 5, DIM).reader(allocator)) {
          sink.write(b, in);
        }
      }
      table.keyedWrites().orElseThrow().ensureKeyIndex(java.util.List.of("id"));
      before = table.latestVersion().orElseThrow();
    }
    RealLance.compact(uri);
    try (NativeLanceTable table = new NativeLanceTable(uri, Map.of());
        LanceSink cold = sink(table)) {
      long after = table.latestVersion().orElseThrow();
      assertThat(after).as("compaction added versions").isGreaterThan(before);
      for (long v = before + 1; v <= after; v++) {
        assertThat(table.properties(v).kind()).as("version %d", v)
            .isEqualTo(io.github.lancesink.spi.VersionProperties.Kind.NONE);
      }
      try (var replay = TestBatch.sequential(10, 5, DIM).reader(allocator)) {
        assertThat(cold.write(2, replay).outcome())
            .isEqualTo(io.github.lancesink.BatchResult.Outcome.SKIPPED_DUPLICATE);
      }
      try (var next = TestBatch.sequential(15, 5, DIM).reader(allocator)) {
        assertThat(cold.write(3, next).outcome())
            .isEqualTo(io.github.lancesink.BatchResult.Outcome.COMMITTED);
      }
      assertThat(table).hasRowCount(20).hasBatchCommittedOnce("w", 2);
    }
  }

  /** The manifest of {@code version} (Lance names them u64::MAX - version). */
  private static Path manifest(Path table, long version) {
    Path p = table.resolve("_versions").resolve(Long.toUnsignedString(-1L - version) + ".manifest");
    assertThat(p).exists();
    return p;
  }

  /** Overwrites the first byte of the marker's "lancesink.attempt-id" key (a transaction property only) with 0xFF; returns the count. */
  private static int damageInlineTransaction(Path manifest) throws IOException {
    byte[] b = Files.readAllBytes(manifest);
    byte[] needle = "lancesink.attempt-id".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int hits = 0;
    for (int i = 0; i + needle.length <= b.length; i++) {
      if (java.util.Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
        b[i] = (byte) 0xFF;
        hits++;
      }
    }
    Files.write(manifest, b);
    return hits;
  }

  private static Set<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new java.util.HashSet<>();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toCollection(java.util.HashSet::new));
    }
  }
}
