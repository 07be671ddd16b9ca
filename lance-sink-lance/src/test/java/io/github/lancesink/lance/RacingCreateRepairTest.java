package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.TableOperationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.Transaction;
import org.lance.operation.Append;
import org.lance.operation.Overwrite;

/**
 * A CREATE that lost a creation race is committed by Lance as an Overwrite on top of the
 * winner's versions. The Overwrite is simulated here exactly as Lance commits it (an empty
 * Overwrite based on the latest version), since the native race cannot be timed from Java.
 */
class RacingCreateRepairTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(List.of(Field.notNullable("id", new ArrowType.Int(64, true))));

  private long overwriteEmpty(String uri, RootAllocator a) {
    try (Dataset ds = Dataset.open().uri(uri).allocator(a).build();
        Transaction txn = new Transaction.Builder().readVersion(ds.version())
            .operation(Overwrite.builder().fragments(List.of()).schema(SCHEMA).build()).build();
        Dataset after = new CommitBuilder(ds).execute(txn)) {
      return after.version();
    }
  }

  private void appendRows(String uri, RootAllocator a, int n) {
    try (Dataset ds = Dataset.open().uri(uri).allocator(a).build();
        org.apache.arrow.vector.VectorSchemaRoot root =
            org.apache.arrow.vector.VectorSchemaRoot.create(SCHEMA, a)) {
      org.apache.arrow.vector.BigIntVector id = (org.apache.arrow.vector.BigIntVector)
          root.getVector("id");
      for (int i = 0; i < n; i++) {
        id.setSafe(i, i);
      }
      root.setRowCount(n);
      var frags = Fragment.create(uri, a, root, new org.lance.WriteParams.Builder().build());
      try (Transaction txn = new Transaction.Builder().readVersion(ds.version())
          .operation(Append.builder().fragments(frags).build()).build()) {
        new CommitBuilder(ds).execute(txn).close();
      }
    }
  }

  /** Purpose: an Overwrite that hid rows is undone. Pass: the rows are visible again. */
  @Test
  void overwriteHidingRowsIsRestored() {
    String uri = dir.resolve("t.lance").toString();
    try (RootAllocator a = new RootAllocator(); NativeLanceTable t = new NativeLanceTable(uri,
        Map.of())) {
      assertThat(t.createIfAbsent(SCHEMA)).isTrue();
      appendRows(uri, a, 7);
      long overwrite = overwriteEmpty(uri, a);
      assertThat(t.maintenance().orElseThrow().stats().rows()).isZero();
      CreateRaceRepair.undo(t, overwrite);
      assertThat(t.maintenance().orElseThrow().stats().rows()).isEqualTo(7);
      assertThat(t.latestVersion()).hasValue(overwrite + 1);
    }
  }

  /** Purpose: an Overwrite of an empty table needs no repair; a stale one fails loudly. */
  @Test
  void emptyOverwriteIsLeftAloneAndStaleOneFailsLoudly() {
    String uri = dir.resolve("t.lance").toString();
    try (RootAllocator a = new RootAllocator(); NativeLanceTable t = new NativeLanceTable(uri,
        Map.of())) {
      t.createIfAbsent(SCHEMA);
      long empty = overwriteEmpty(uri, a);
      CreateRaceRepair.undo(t, empty);
      assertThat(t.latestVersion()).hasValue(empty);
      appendRows(uri, a, 3);
      long hiding = overwriteEmpty(uri, a);
      appendRows(uri, a, 2);
      assertThatThrownBy(() -> CreateRaceRepair.undo(t, hiding))
          .isInstanceOf(TableOperationException.class)
          .hasMessageContaining("hides 3 committed rows").hasMessageContaining("manually");
    }
  }
}
