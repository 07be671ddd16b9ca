package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LedgerException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.LedgerCheckpoint;
import io.github.lancesink.internal.Marker;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ledger checkpoint: maintenance copies every writer's last marker into the table config
 * before cleanup removes versions, and a cold ledger walks only the versions after it. Each test
 * runs on the in-memory fake and on real Lance in a temp dir.
 */
class LedgerCheckpointTest {
  static final int DIM = 4;
  static final int ROWS = 5;

  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();
  final List<AutoCloseable> open = new ArrayList<>();
  InMemoryLanceTable fake;

  /** Which port the sinks run on. */
  enum Port { FAKE, LANCE }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    allocator.close();
  }

  /** A handle on the test's table: the one fake, or a fresh native handle (a cold process). */
  private LanceTable table(Port port) {
    if (port == Port.FAKE) {
      if (fake == null) {
        fake = InMemoryLanceTable.create();
        open.add(fake);
      }
      return fake;
    }
    NativeLanceTable t = new NativeLanceTable(dir.resolve("t.lance").toString(), Map.of());
    open.add(t);
    return t;
  }

  /** Inline maintenance after every commit that only cleans up, keeping 3 versions. */
  private static OptimizePolicy cleanupEveryCommit() {
    return OptimizePolicy.builder().mode(MaintenanceMode.INLINE).everyCommits(1)
        .interval(Duration.ZERO).maxFragments(0).maxUnindexedRows(0).maxDeletedRatio(0)
        .indexMinRows(0).retrainDrift(0).retryBackoff(Duration.ZERO).retainVersions(3).build();
  }

  private LanceSink sink(Port port, String writerId, OptimizePolicy policy,
      List<SinkEvent> events) {
    LanceSink s = LanceSink.builder().table(table(port)).writerId(writerId)
        .vectorColumn("vector", DIM).optimizePolicy(policy).build();
    s.events().onEvent(events::add);
    open.add(s);
    return s;
  }

  private static BatchResult write(LanceSink sink, RootAllocator a, long batchId, long firstId)
      throws Exception {
    try (var in = TestBatch.sequential(firstId, ROWS, DIM).reader(a)) {
      return sink.write(batchId, in);
    }
  }

  private static SinkEvent.LedgerLoaded loaded(List<SinkEvent> events) {
    return events.stream().filter(SinkEvent.LedgerLoaded.class::isInstance)
        .map(SinkEvent.LedgerLoaded.class::cast).reduce((a, b) -> b).orElseThrow();
  }

  /**
   * Purpose: a cold sink finds its last batch after cleanup removed every version older than
   * the checkpoint, including the version of that batch. Steps: writer w commits batches 0-9
   * (cleanup keeps 3 versions); writer "other" then commits 10 batches with the same policy, so
   * w's last marker version is cleaned up; a cold w sink replays batch 9, then writes batch 10.
   * Pass: the marker version is gone, batch 9 is SKIPPED_DUPLICATE naming it, batch 10 is
   * COMMITTED, and the table holds 21 batches of rows.
   */
  @ParameterizedTest
  @EnumSource(Port.class)
  void aColdSinkFindsItsLastBatchAfterCleanupRemovedItsVersion(Port port) throws Exception {
    List<SinkEvent> events = new ArrayList<>();
    LanceSink w = sink(port, "w", cleanupEveryCommit(), events);
    for (long b = 0; b < 10; b++) {
      assertThat(write(w, allocator, b, b * ROWS).outcome())
          .isEqualTo(BatchResult.Outcome.COMMITTED);
    }
    long markerVersion = w.lastMarkerVersion().orElseThrow();
    w.close();
    LanceSink other = sink(port, "other", cleanupEveryCommit(), events);
    for (long b = 0; b < 10; b++) {
      write(other, allocator, b, 1000 + b * ROWS);
    }
    LanceTable t = table(port);
    assertThat(t.earliestVersion().orElseThrow()).isGreaterThan(markerVersion);

    LedgerCheckpoint cp = LedgerCheckpoint.read(t.config(), "w", t.displayUri()).orElseThrow();
    long since = t.latestVersion().orElseThrow() - cp.coveredThrough();
    assertThat(cp.version()).isEqualTo(markerVersion);
    List<SinkEvent> coldEvents = new ArrayList<>();
    LanceSink cold = sink(port, "w", OptimizePolicy.never(), coldEvents);
    BatchResult replay = write(cold, allocator, 9, 9 * ROWS);
    assertThat(loaded(coldEvents).versionsRead()).isLessThanOrEqualTo((int) since + 1);
    assertThat(replay.outcome()).isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
    assertThat(replay.version()).hasValue(markerVersion);
    assertThat(write(cold, allocator, 10, 10 * ROWS).outcome())
        .isEqualTo(BatchResult.Outcome.COMMITTED);
    assertThat(table(port)).hasRowCount(21 * ROWS);
  }

  /**
   * Purpose: restart in the middle of a stream; the checkpoint survives and bounds the cold walk.
   * Steps: w commits 0-19 with cleanup after every commit; a cold sink (restart) commits 20-24
   * with the same policy; another cold sink loads the ledger and replays 24. Pass: the config
   * holds w's checkpoint, both cold loads read at most (versions after the checkpoint + 1)
   * versions, the first restart found batch 19 and the second 24, and 24 is skipped.
   */
  @ParameterizedTest
  @EnumSource(Port.class)
  void aRestartMidStreamWalksOnlyTheVersionsAfterTheCheckpoint(Port port) throws Exception {
    LanceSink w = sink(port, "w", cleanupEveryCommit(), new ArrayList<>());
    for (long b = 0; b < 20; b++) {
      write(w, allocator, b, b * ROWS);
    }
    w.close();
    for (long[] range : new long[][] {{20, 25}, {25, 25}}) {
      LanceTable t = table(port);
      LedgerCheckpoint cp =
          LedgerCheckpoint.read(t.config(), "w", t.displayUri()).orElseThrow();
      long since = t.latestVersion().orElseThrow() - cp.coveredThrough();
      // cleanup removed every version the checkpoint covers
      assertThat(t.earliestVersion()).hasValue(cp.coveredThrough() + 1);
      List<SinkEvent> events = new ArrayList<>();
      LanceSink restarted = sink(port, "w", cleanupEveryCommit(), events);
      assertThat(restarted.lastCommittedBatchId()).hasValue(range[0] - 1);
      assertThat(loaded(events).versionsRead()).isLessThanOrEqualTo((int) since + 1);
      for (long b = range[0]; b < range[1]; b++) {
        assertThat(write(restarted, allocator, b, b * ROWS).outcome())
            .isEqualTo(BatchResult.Outcome.COMMITTED);
      }
      if (range[0] == range[1]) {
        assertThat(write(restarted, allocator, 24, 24 * ROWS).outcome())
            .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      }
      restarted.close();
    }
    assertThat(table(port)).hasRowCount(25 * ROWS);
  }

  /**
   * Purpose: the cold walk stops at the checkpoint even when the versions it covers are still
   * there (a cleanup that failed after its checkpoint). Steps: w commits 0-9 and "other" 10
   * batches, without maintenance; the checkpoint is advanced to cover all but the newest 3
   * versions, with no cleanup; a cold w sink loads the ledger. Pass: it finds batch 9 (from the
   * checkpoint, checked against its still-present version) after reading at most (versions after
   * the checkpoint + 1) versions, far fewer than the 11 down to batch 9's version.
   */
  @ParameterizedTest
  @EnumSource(Port.class)
  void theColdWalkStopsAtTheCheckpointWhenNothingWasCleanedUp(Port port) throws Exception {
    LanceSink w = sink(port, "w", OptimizePolicy.never(), new ArrayList<>());
    for (long b = 0; b < 10; b++) {
      write(w, allocator, b, b * ROWS);
    }
    long markerVersion = w.lastMarkerVersion().orElseThrow();
    LanceSink other = sink(port, "other", OptimizePolicy.never(), new ArrayList<>());
    for (long b = 0; b < 10; b++) {
      write(other, allocator, b, 1000 + b * ROWS);
    }
    LanceTable t = table(port);
    long top = t.latestVersion().orElseThrow();
    assertThat(LedgerCheckpoint.advance(t, top - 2)).isEqualTo(2); // w and other
    long since = t.latestVersion().orElseThrow() - (top - 3);
    assertThat(t.earliestVersion()).hasValue(1);
    List<SinkEvent> events = new ArrayList<>();
    LanceSink cold = sink(port, "w", OptimizePolicy.never(), events);
    assertThat(cold.lastCommittedBatchId()).hasValue(9);
    assertThat(cold.lastMarkerVersion()).hasValue(markerVersion);
    assertThat(loaded(events).versionsRead()).isLessThanOrEqualTo((int) since + 1)
        .isLessThan((int) (t.latestVersion().orElseThrow() - markerVersion));
  }

  /**
   * Purpose: two writers keep their own checkpoints, even while only one of them runs. Steps:
   * writers a and b alternate 5 batches each; then only a commits 10 more batches (its
   * maintenance cleans up b's versions). Pass: the config holds a checkpoint for each with its
   * own last batch; cold sinks find a's batch 14 and b's batch 4, and b's replay of 4 is skipped.
   */
  @ParameterizedTest
  @EnumSource(Port.class)
  void twoWritersEachKeepTheirOwnCheckpoint(Port port) throws Exception {
    LanceSink a = sink(port, "a", cleanupEveryCommit(), new ArrayList<>());
    LanceSink b = sink(port, "b", cleanupEveryCommit(), new ArrayList<>());
    for (long i = 0; i < 5; i++) {
      write(a, allocator, i, i * ROWS);
      write(b, allocator, i, 1000 + i * ROWS);
    }
    long bMarker = b.lastMarkerVersion().orElseThrow();
    b.close();
    for (long i = 5; i < 15; i++) {
      write(a, allocator, i, i * ROWS);
    }
    a.close();
    LanceTable t = table(port);
    assertThat(t.earliestVersion().orElseThrow()).isGreaterThan(bMarker);
    Map<String, String> config = t.config();
    LedgerCheckpoint ca = LedgerCheckpoint.read(config, "a", t.displayUri()).orElseThrow();
    LedgerCheckpoint cb = LedgerCheckpoint.read(config, "b", t.displayUri()).orElseThrow();
    assertThat(cb.marker().batchId()).isEqualTo(4);
    assertThat(cb.version()).isEqualTo(bMarker);
    assertThat(ca.marker().batchId()).isBetween(10L, 14L);
    assertThat(cb.coveredThrough()).isEqualTo(ca.coveredThrough());

    LanceSink coldA = sink(port, "a", OptimizePolicy.never(), new ArrayList<>());
    LanceSink coldB = sink(port, "b", OptimizePolicy.never(), new ArrayList<>());
    assertThat(coldA.lastCommittedBatchId()).hasValue(14);
    assertThat(coldB.lastCommittedBatchId()).hasValue(4);
    assertThat(write(coldB, allocator, 4, 1000 + 4 * ROWS).outcome())
        .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
    assertThat(table(port)).hasRowCount(20 * ROWS);
  }

  /** How a checkpoint is made to disagree with the table. */
  enum Damage { OTHER_ATTEMPT, NO_MARKER, GAP, AHEAD, MALFORMED }

  /**
   * Purpose: a checkpoint that disagrees with the versions it names fails closed. Steps: w
   * commits batches 0-3 without maintenance; the config gets a checkpoint that (OTHER_ATTEMPT)
   * names batch 3's version with another attempt id, (NO_MARKER) names a version holding no
   * marker, (GAP) is correct but versions after it are then cleaned up without advancing it,
   * (AHEAD) covers versions the table does not have, or (MALFORMED) lacks an entry; a cold sink
   * replays batch 3 and writes batch 4. Pass: both throw LedgerException with the expected
   * reason; the table still holds 4 batches.
   */
  @ParameterizedTest
  @EnumSource(Damage.class)
  void aCheckpointThatDisagreesWithTheTableFailsClosed(Damage damage) throws Exception {
    for (Port port : Port.values()) {
      fake = null;
      Path sub = dir.resolve(port + "-" + damage);
      dir = sub;
      LanceSink w = sink(port, "w", OptimizePolicy.never(), new ArrayList<>());
      for (long b = 0; b < 4; b++) {
        write(w, allocator, b, b * ROWS);
      }
      long v3 = w.lastMarkerVersion().orElseThrow();
      Marker m3 = Marker.parse(table(port).properties(v3).properties()).orElseThrow();
      w.close();
      LanceTable t = table(port);
      long top = t.latestVersion().orElseThrow();
      Map<String, String> entries = new HashMap<>();
      String expected;
      switch (damage) {
        case OTHER_ATTEMPT -> {
          Marker other = new Marker("w", 3, m3.lineage(), "not-" + m3.attemptId(), ROWS,
              m3.mode());
          entries.putAll(new LedgerCheckpoint(other, v3, top).entries());
          expected = "attempt " + m3.attemptId();
        }
        case NO_MARKER -> {
          entries.putAll(new LedgerCheckpoint(m3, 1, top).entries());
          expected = "holds no marker";
        }
        case GAP -> {
          entries.putAll(new LedgerCheckpoint(m3, v3, v3).entries());
          expected = "removed by cleanup";
        }
        case AHEAD -> {
          entries.putAll(new LedgerCheckpoint(m3, v3, top + 5).entries());
          expected = "latest version is";
        }
        default -> {
          entries.putAll(new LedgerCheckpoint(m3, v3, top).entries());
          entries.put(LedgerCheckpoint.prefix("w") + "batch-id", "three");
          expected = "malformed";
        }
      }
      t.updateConfig(entries);
      if (damage == Damage.GAP) {
        write(sink(port, "x", OptimizePolicy.never(), new ArrayList<>()), allocator, 0, 500);
        write(sink(port, "x", OptimizePolicy.never(), new ArrayList<>()), allocator, 1, 600);
        t.maintenance().orElseThrow().cleanupVersions(t.latestVersion().orElseThrow()); // keeps only the newest
      }
      long rows = 4 * ROWS + (damage == Damage.GAP ? 2 * ROWS : 0);
      LanceSink cold = sink(port, "w", OptimizePolicy.never(), new ArrayList<>());
      assertThatThrownBy(() -> write(cold, allocator, 3, 3 * ROWS))
          .as("%s on %s", damage, port)
          .isInstanceOf(LedgerException.class).hasMessageContaining(expected);
      assertThatThrownBy(() -> write(cold, allocator, 4, 4 * ROWS))
          .isInstanceOf(LedgerException.class);
      assertThat(table(port)).hasRowCount(rows);
    }
  }
}
