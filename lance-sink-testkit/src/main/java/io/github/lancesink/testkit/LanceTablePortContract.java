package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableStats;
import io.github.lancesink.spi.VersionProperties;
import io.github.lancesink.spi.VersionProperties.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;

/**
 * The port half of the contract: what every {@link LanceTable} must do for the sink's protocol
 * to be sound. Extend {@link LanceTableContract} (which adds the sink-level half) rather than
 * this class.
 *
 * @since 0.1.0
 */
public abstract class LanceTablePortContract extends LanceTableContractSupport {

  /**
   * Purpose: an absent table reports nothing and never fails. Steps: query a fresh handle.
   * Pass: no version, no schema, absent stats, version 1 {@code MISSING}, empty config.
   */
  @Test
  void absentTableReportsNothing() {
    LanceTable t = table();
    assertThat(t.latestVersion()).isEmpty();
    assertThat(t.schema()).isEmpty();
    assertThat(t.earliestVersion()).isEmpty();
    t.maintenance().ifPresent(m -> assertThat(m.stats()).isEqualTo(TableStats.absent()));
    assertThat(t.properties(1).kind()).isEqualTo(Kind.MISSING);
    assertThat(t.config()).isEmpty();
  }

  /**
   * Purpose: creation is idempotent and has one winner under a race. Steps: four handles call
   * {@code createIfAbsent} at once, then once more. Pass: every call returns normally, exactly
   * one reports the creation, a later call reports none, and the table exists from version 1
   * with the batch schema, no rows and no transaction properties. (Lance 7.0.0 commits a CREATE
   * that lost the race as an extra, empty Overwrite version; the native adapter reports it as
   * not created and restores any rows such an Overwrite would hide.)
   */
  @Test
  void createIfAbsentHasExactlyOneWinner() throws Exception {
    TestBatch b = batch(0, 1);
    int n = 4;
    List<LanceTable> handles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      handles.add(newHandle());
    }
    CyclicBarrier barrier = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Boolean>> wins = new ArrayList<>();
      for (LanceTable h : handles) {
        wins.add(pool.submit(() -> {
          barrier.await(10, TimeUnit.SECONDS);
          return h.createIfAbsent(b.schema());
        }));
      }
      int created = 0;
      for (Future<Boolean> f : wins) {
        created += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(table().createIfAbsent(b.schema())).isFalse();
    assertThat(table().latestVersion()).isPresent();
    assertThat(TableRows.read(table())).isEmpty();
    assertThat(table().schema().orElseThrow().getFields()).extracting(Field::getName)
        .containsExactly("id", "text", "vector");
    assertThat(table().properties(1).kind()).isEqualTo(Kind.NONE);
    assertThat(table().earliestVersion()).hasValue(1);
  }

  /**
   * Purpose: staged fragments are invisible until a commit references them. Steps: create,
   * stage 10 rows, inspect, commit. Pass: before the commit the version, row count and scan are
   * unchanged; after it the version moved by one and the rows are visible.
   */
  @Test
  void writtenFragmentsAreInvisibleUntilCommitted() {
    LanceTable t = table();
    TestBatch b = batch(0, 10);
    t.createIfAbsent(b.schema());
    StagedFragments staged = stage(t, b);
    assertThat(staged.rows()).isEqualTo(10);
    assertThat(t.latestVersion()).hasValue(1);
    assertThat(TableRows.read(t)).isEmpty();
    long v = t.commitAppend(1, List.of(staged), Map.of("k", "v"));
    assertThat(v).isEqualTo(2);
    assertThat(t.latestVersion()).hasValue(2);
    assertThat(t).containsExactlyRowsOf(b);
  }

  /**
   * Purpose: transaction properties ride in the commit and read back per version; versions
   * without them say so. Steps: create, commit with properties, update config. Pass: the
   * append version is {@code PRESENT} with exactly the map; create and config versions are
   * {@code NONE}; a future version is {@code MISSING}; returned maps are immutable.
   */
  @Test
  void commitPropertiesAreReadBackPerVersion() {
    LanceTable t = table();
    Map<String, String> props = Map.of("lancesink.writer-id", "w", "lancesink.batch-id", "4",
        "other", "x");
    long v = createAndAppend(t, batch(0, 3), props);
    t.updateConfig(Map.of("a", "1"));
    VersionProperties p = t.properties(v);
    assertThat(p.kind()).isEqualTo(Kind.PRESENT);
    assertThat(p.properties()).isEqualTo(props);
    assertThatThrownBy(() -> p.properties().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(t.properties(1).kind()).isEqualTo(Kind.NONE);
    assertThat(t.properties(v + 1).kind()).isEqualTo(Kind.NONE);
    assertThat(t.properties(v + 2).kind()).isEqualTo(Kind.MISSING);
  }

  /**
   * Purpose: an Append based on an older version rebases over versions committed since (as
   * Lance does), which is why the sink must re-check its ledger at commit time. Steps: stage
   * two batches, commit both with the same read version, with a config update in between.
   * Pass: both land in consecutive versions and all rows are visible.
   */
  @Test
  void appendRebasesOverConcurrentVersions() {
    LanceTable t = table();
    TestBatch a = batch(0, 5);
    TestBatch b = batch(5, 5);
    t.createIfAbsent(a.schema());
    StagedFragments sa = stage(t, a);
    StagedFragments sb = stage(t, b);
    long base = t.latestVersion().orElseThrow();
    long va = t.commitAppend(base, List.of(sa), Map.of("n", "a"));
    t.updateConfig(Map.of("c", "1"));
    long vb = t.commitAppend(base, List.of(sb), Map.of("n", "b"));
    assertThat(vb).isEqualTo(va + 2);
    assertThat(t.properties(vb).properties()).containsEntry("n", "b");
    assertThat(t).containsExactlyRowsOf(a, b);
  }

  /**
   * Purpose: table config persists across versions and handles. Steps: update config twice
   * (second call overwrites one key), read from another handle. Pass: each update adds one
   * version; the other handle sees the merged map; the map is immutable.
   */
  @Test
  void configIsPersistedAndVisibleToOtherHandles() {
    LanceTable t = table();
    t.createIfAbsent(batch(0, 1).schema());
    t.updateConfig(Map.of("a", "1", "b", "2"));
    assertThat(t.latestVersion()).hasValue(2);
    t.updateConfig(Map.of("b", "3"));
    assertThat(t.latestVersion()).hasValue(3);
    Map<String, String> seen = newHandle().config();
    assertThat(seen).containsEntry("a", "1").containsEntry("b", "3");
    assertThatThrownBy(() -> seen.put("z", "z")).isInstanceOf(UnsupportedOperationException.class);
  }

  /**
   * Purpose: scans read one version and project columns. Steps: two commits, scan each version
   * and a projection. Pass: version 2 shows the first batch only, the latest both; a projection
   * returns only the named column; an unknown column fails with a lance-sink exception.
   */
  @Test
  void scanReadsOneVersionAndProjects() {
    LanceTable t = table();
    TestBatch a = batch(0, 4);
    TestBatch b = batch(4, 3);
    long v1 = createAndAppend(t, a, Map.of("n", "1"));
    t.commitAppend(v1, List.of(stage(t, b)), Map.of("n", "2"));
    assertThat(TableRows.read(t, OptionalLong.of(v1), List.of())).hasSize(4);
    assertThat(TableRows.read(t, OptionalLong.empty(), List.of())).hasSize(7);
    List<Map<String, Object>> ids = TableRows.read(t, OptionalLong.empty(), List.of("id"));
    assertThat(ids).allSatisfy(r -> assertThat(r).containsOnlyKeys("id"));
    assertThat(ids).extracting(r -> r.get("id")).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L,
        5L, 6L);
    assertThatThrownBy(() -> TableRows.read(t, OptionalLong.empty(), List.of("nope")))
        .isInstanceOf(LanceSinkException.class);
  }

  /**
   * Purpose: stats describe the latest version. Steps: create and commit two batches. Pass:
   * version, readable versions, row count match; fragments at least one per commit.
   */
  @Test
  void statsDescribeLatestVersion() {
    LanceTable t = table();
    assumeThat(t.maintenance()).as("port offers maintenance (stats)").isPresent();
    long v = createAndAppend(t, batch(0, 6), Map.of("n", "1"));
    v = t.commitAppend(v, List.of(stage(t, batch(6, 4))), Map.of("n", "2"));
    TableStats s = t.maintenance().orElseThrow().stats();
    assertThat(s.version()).isEqualTo(v).isEqualTo(3);
    assertThat(s.versions()).isEqualTo(3);
    assertThat(s.rows()).isEqualTo(10);
    assertThat(s.fragments()).isGreaterThanOrEqualTo(2);
    assertThat(s.deletedRows()).isZero();
    assertThat(s.unindexedRows()).isIn(-1L, 10L);
  }

  /**
   * Purpose: compaction adds versions that are never markers and keeps markers readable.
   * Steps: three commits with properties, compact. Pass: at least one version was added, none
   * of them {@code PRESENT}; rows unchanged; fewer fragments; old markers still readable.
   */
  @Test
  void compactionAddsOnlyNonMarkerVersions() {
    assumeThat(supportsCompaction()).as("port supports compaction").isTrue();
    LanceTable t = table();
    long v = createAndAppend(t, batch(0, 5), Map.of("n", "1"));
    v = t.commitAppend(v, List.of(stage(t, batch(5, 5))), Map.of("n", "2"));
    v = t.commitAppend(v, List.of(stage(t, batch(10, 5))), Map.of("n", "3"));
    long fragmentsBefore = fragments(t);
    compact(t);
    long after = t.latestVersion().orElseThrow();
    assertThat(after).isGreaterThan(v);
    for (long x = v + 1; x <= after; x++) {
      // never UNREADABLE: the ledger fails closed on it, so compaction would stop every sink
      assertThat(t.properties(x).kind()).as("kind of compaction version %d", x)
          .isEqualTo(Kind.NONE);
    }
    if (fragmentsBefore >= 0) {
      assertThat(fragments(t)).isLessThan(fragmentsBefore);
    }
    assertThat(t).containsExactlyRowsOf(batch(0, 15));
    assertThat(t.properties(v).properties()).containsEntry("n", "3");
  }

  /**
   * Purpose: cleanup removes old versions, which then read as {@code MISSING}. Steps: four
   * versions, keep the last two. Pass: earliest version moves to latest-1, older versions are
   * {@code MISSING}, the data of the latest version is intact.
   */
  @Test
  void cleanupMakesOldVersionsMissing() {
    assumeThat(supportsCleanup()).as("port supports cleanup").isTrue();
    LanceTable t = table();
    long v = createAndAppend(t, batch(0, 5), Map.of("n", "1"));
    v = t.commitAppend(v, List.of(stage(t, batch(5, 5))), Map.of("n", "2"));
    v = t.commitAppend(v, List.of(stage(t, batch(10, 5))), Map.of("n", "3"));
    cleanup(t, 2);
    assertThat(t.earliestVersion()).hasValue(v - 1);
    assertThat(t.properties(1).kind()).isEqualTo(Kind.MISSING);
    assertThat(t.properties(v - 2).kind()).isEqualTo(Kind.MISSING);
    assertThat(t.properties(v).kind()).isEqualTo(Kind.PRESENT);
    t.maintenance().ifPresent(m -> assertThat(m.stats().versions()).isEqualTo(2));
    assertThat(t).containsExactlyRowsOf(batch(0, 15));
  }

  /** The latest version's fragment count, or -1 when the port offers no stats. */
  private static long fragments(LanceTable t) {
    return t.maintenance().map(m -> m.stats().fragments()).orElse(-1L);
  }
}
