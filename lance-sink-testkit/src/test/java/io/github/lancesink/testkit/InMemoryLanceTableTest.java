package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.VersionProperties.Kind;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour specific to the fake, beyond the shared contract. */
class InMemoryLanceTableTest {
  private final RootAllocator allocator = new RootAllocator();
  private final InMemoryLanceTable table = InMemoryLanceTable.create();

  @AfterEach
  void close() {
    table.close();
    allocator.close();
  }

  private long append(TestBatch b) throws Exception {
    table.createIfAbsent(b.schema());
    try (ArrowReader r = b.open(allocator)) {
      StagedFragments s = table.writeFragments(r);
      return table.commitAppend(table.latestVersion().orElseThrow(), List.of(s), Map.of("b", "1"));
    }
  }

  /**
   * Purpose: stored rows are immutable snapshots. Steps: write through a reader, then scribble
   * over the caller's Arrow buffers; open a scan, commit more, read the old scan. Pass: the table
   * and the earlier scan still show the original values.
   */
  @Test
  void storedRowsAreSnapshotsAndScansSurviveLaterCommits() throws Exception {
    TestBatch b = TestBatch.sequential(0, 3, 4);
    table.createIfAbsent(b.schema());
    try (ArrowReader r = b.open(allocator)) {
      StagedFragments s = table.writeFragments(r);
      ((BigIntVector) r.getVectorSchemaRoot().getVector("id")).set(0, 999L);
      table.commitAppend(1, List.of(s), Map.of());
    }
    try (ArrowReader scan = table.scan(OptionalLong.empty(), List.of())) {
      append(TestBatch.sequential(10, 2, 4));
      assertThat(scan.loadNextBatch()).isTrue();
      assertThat(scan.getVectorSchemaRoot().getRowCount()).isEqualTo(3);
      assertThat(scan.getVectorSchemaRoot().getVector("id").getObject(0)).isEqualTo(0L);
    }
    assertThat(table).containsExactlyRowsOf(b, TestBatch.sequential(10, 2, 4));
    assertThat(table.rows().get(0)).containsEntry("text", "doc-0");
  }

  /**
   * Purpose: faults fire in the order armed, each on exactly one commit, and only the
   * commit-then-throw kind lands. Pass: exception types in order, one version added in total.
   */
  @Test
  void commitFaultsFireInOrderOncePerCommit() throws Exception {
    long v = append(TestBatch.sequential(0, 2, 4));
    table.faults().failNextCommits(1).conflictOnNextCommits(1).throwStateUnknownWithoutCommit(1)
        .commitThenThrowStateUnknown(1);
    assertThat(table.faults().pendingCommitFaults()).isEqualTo(4);
    TestBatch next = TestBatch.sequential(2, 2, 4);
    assertThatThrownBy(() -> append(next)).isExactlyInstanceOf(RetryableException.class);
    assertThatThrownBy(() -> append(next)).isInstanceOf(CommitConflictException.class);
    assertThatThrownBy(() -> append(next)).isInstanceOf(CommitStateUnknownException.class)
        .hasMessageContaining("did not land");
    assertThat(table.latestVersion()).hasValue(v);
    assertThatThrownBy(() -> append(next)).isInstanceOf(CommitStateUnknownException.class)
        .hasMessageContaining("it landed");
    assertThat(table.latestVersion()).hasValue(v + 1);
    assertThat(append(next)).isEqualTo(v + 2);
    assertThat(table.faults().injectedCount()).isEqualTo(4);
  }

  /**
   * Purpose: crash points fire once where named. Pass: BEFORE_WRITE stages nothing,
   * AFTER_FRAGMENTS_WRITTEN leaves no visible rows, AFTER_COMMIT_BEFORE_RESULT lands the commit.
   */
  @Test
  void crashPointsFireOnceWhereNamed() throws Exception {
    long v = append(TestBatch.sequential(0, 2, 4));
    table.faults().crashAt(CrashPoint.BEFORE_WRITE);
    assertThatThrownBy(() -> append(TestBatch.sequential(2, 2, 4)))
        .isInstanceOfSatisfying(SimulatedCrash.class,
            c -> assertThat(c.point()).isEqualTo(CrashPoint.BEFORE_WRITE));
    table.faults().crashAt(CrashPoint.AFTER_FRAGMENTS_WRITTEN);
    assertThatThrownBy(() -> append(TestBatch.sequential(2, 2, 4)))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(table.latestVersion()).hasValue(v);
    table.faults().crashAt(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
    assertThatThrownBy(() -> append(TestBatch.sequential(2, 2, 4)))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(table).hasLatestVersion(v + 1).hasRowCount(4);
    assertThat(append(TestBatch.sequential(4, 1, 4))).isEqualTo(v + 2);
  }

  /**
   * Purpose: simulated compaction adds a ReserveFragments and a Rewrite version, both without
   * properties (Lance 7.0.0's behaviour); cleanup makes versions MISSING. Pass: operations and
   * kinds as described.
   */
  @Test
  void compactionAndCleanupSimulateLance() throws Exception {
    append(TestBatch.sequential(0, 2, 4));
    long v = append(TestBatch.sequential(2, 2, 4));
    assertThat(table.compact()).isEqualTo(2);
    assertThat(table.operations()).containsEntry(v + 1, "ReserveFragments")
        .containsEntry(v + 2, "Rewrite");
    assertThat(table.properties(v + 1).kind()).isEqualTo(Kind.NONE);
    assertThat(table.properties(v + 2).kind()).isEqualTo(Kind.NONE);
    assertThat(table.stats().fragments()).isEqualTo(1);
    assertThat(table.compact()).isZero();
    assertThat(table.cleanup(1)).isEqualTo((int) (v + 1));
    assertThat(table.earliestVersion()).hasValue(v + 2);
    assertThat(table).containsExactlyRowsById(0, 1, 2, 3);
  }

  /** Purpose: foreign staged fragments and a closed table are rejected clearly. */
  @Test
  void rejectsForeignFragmentsAndUseAfterClose() throws Exception {
    append(TestBatch.sequential(0, 1, 4));
    StagedFragments foreign = () -> 1;
    assertThatThrownBy(() -> table.commitAppend(2, List.of(foreign), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not written by");
    table.close();
    table.close();
    assertThatThrownBy(table::latestVersion).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
