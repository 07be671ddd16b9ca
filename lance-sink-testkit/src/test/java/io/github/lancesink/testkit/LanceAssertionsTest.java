package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.spi.StagedFragments;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assertions pass on a good table and fail, with a useful message, on a bad one. */
class LanceAssertionsTest {
  private final RootAllocator allocator = new RootAllocator();
  private final InMemoryLanceTable table = InMemoryLanceTable.create();

  @AfterEach
  void close() {
    table.close();
    allocator.close();
  }

  private long commit(TestBatch b, Map<String, String> props) throws Exception {
    table.createIfAbsent(b.schema());
    try (ArrowReader r = b.open(allocator)) {
      StagedFragments s = table.writeFragments(r);
      return table.commitAppend(table.latestVersion().orElseThrow(), List.of(s), props);
    }
  }

  private static Map<String, String> marker(long batch) {
    return new Marker("w", batch, "", "attempt-" + batch, 2, "append()").toProperties();
  }

  /** Purpose: a duplicated batch is caught by every relevant assertion. */
  @Test
  void duplicatesAreReported() throws Exception {
    commit(TestBatch.sequential(0, 2, 4), marker(0));
    long dup = commit(TestBatch.sequential(0, 2, 4), marker(0));
    assertThatThrownBy(() -> assertThat(table).hasNoDuplicateKeys("id"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("[0]=2");
    assertThatThrownBy(() -> assertThat(table).containsExactlyRowsById(0, 1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("unexpected or duplicated: [0, 1]");
    assertThatThrownBy(() -> assertThat(table).hasBatchCommittedOnce("w", 0))
        .isInstanceOf(AssertionError.class).hasMessageContaining("versions [2, 3]");
    // a revert of the duplicate (as the sink does after a same-writer race) settles it
    table.revertAppend(dup, new Marker("w", 0, "", "attempt-0", 2, "append()")
        .revertProperties(dup));
    assertThat(table).hasNoDuplicateKeys("id").containsExactlyRowsById(0, 1)
        .hasBatchCommittedOnce("w", 0).hasCommittedBatches("w", 0);
  }

  /** Purpose: missing rows, wrong values, versions and absent batches are reported. */
  @Test
  void missingAndWrongRowsAreReported() throws Exception {
    commit(TestBatch.sequential(0, 3, 4), marker(0));
    assertThat(table).containsExactlyRowsOf(TestBatch.sequential(0, 3, 4)).hasRowCount(3)
        .hasLatestVersion(2).hasNoBatchCommitted("w", 1);
    assertThatThrownBy(() -> assertThat(table).containsExactlyRowsById(0, 1, 2, 3))
        .isInstanceOf(AssertionError.class).hasMessageContaining("missing: [3]");
    TestBatch other = TestBatch.builder(4).row(0, "doc-0", 9, 9, 9, 9).sequentialRows(1, 2)
        .build();
    assertThatThrownBy(() -> assertThat(table).containsExactlyRowsOf(other))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("differing rows (1):")
        .hasMessageContaining("id=0: vector expected <[9.0, 9.0, 9.0, 9.0]> but was <[");
    assertThatThrownBy(() -> assertThat(table).hasRowCount(4)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertThat(table).hasLatestVersion(3))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertThat(table).hasBatchCommittedOnce("w", 1))
        .isInstanceOf(AssertionError.class).hasMessageContaining("versions []");
    assertThatThrownBy(() -> assertThat(table).hasCommittedBatches("w", 0, 1))
        .isInstanceOf(AssertionError.class);
  }

  /**
   * Purpose: a failing row comparison prints a diff by key. Steps: commit ids 0..6, compare with
   * expected rows that miss id 6, add id 9, and change the text of ids 1 and 2. Pass: the
   * message names the missing, unexpected and differing keys and the differing column values.
   */
  @Test
  void rowDiffNamesMissingExtraAndDifferingKeys() throws Exception {
    commit(TestBatch.sequential(0, 7, 4), marker(0));
    List<Map<String, Object>> expected = new java.util.ArrayList<>();
    for (long id = 0; id < 6; id++) {
      expected.add(Map.of("id", id, "text", id == 1 || id == 2 ? "changed" : "doc-" + id));
    }
    expected.add(Map.of("id", 9L, "text", "doc-9"));
    assertThatThrownBy(() -> assertThat(table).containsExactlyRowsByKey("id", expected))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("missing ids (1): [9]")
        .hasMessageContaining("unexpected ids (1): [6]")
        .hasMessageContaining("differing rows (2):")
        .hasMessageContaining("id=1: text expected <changed> but was <doc-1>")
        .hasMessageContaining("id=2: text expected <changed> but was <doc-2>");
    // ints compare with longs by value; columns not named are not compared
    List<Map<String, Object>> good = new java.util.ArrayList<>();
    for (int id = 0; id < 7; id++) {
      good.add(Map.of("id", id, "text", "doc-" + id));
    }
    assertThat(table).containsExactlyRowsByKey("id", good);
  }

  /** Purpose: a row stored twice is reported as duplicated, with its count. */
  @Test
  void rowDiffReportsDuplicatedKeys() throws Exception {
    commit(TestBatch.sequential(0, 2, 4), marker(0));
    commit(TestBatch.sequential(1, 1, 4), marker(1));
    assertThatThrownBy(() -> assertThat(table).containsExactlyRowsByKey("id",
        List.of(Map.of("id", 0L), Map.of("id", 1L))))
        .isInstanceOf(AssertionError.class).hasMessageContaining("duplicated ids (1): [1 x2]");
  }
}
