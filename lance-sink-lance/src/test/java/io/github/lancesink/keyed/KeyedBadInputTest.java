package io.github.lancesink.keyed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.ConfigurationException;
import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every keyed-input rule: a clear error naming column, count and first offending row, and
 * nothing committed (same latest version, same rows).
 */
class KeyedBadInputTest {
  @TempDir Path dir;
  private final RootAllocator alloc = new RootAllocator();

  @AfterEach
  void close() {
    alloc.close();
  }

  private LanceSink sink(WriteMode mode) {
    return LanceSink.builder()
        .tableUri(dir.resolve("t.lance").toString())
        .writerId("w")
        .writeMode(mode)
        .vectorColumn("vector", KeyedRows.DIM)
        .optimizePolicy(OptimizePolicy.never())
        .build();
  }

  private void write(LanceSink sink, long batchId, KeyedRows b) throws Exception {
    try (ArrowReader r = b.reader(alloc)) {
      sink.write(batchId, r);
    }
  }

  /** Seeds rows 1..3 and returns the version, so a test can prove nothing changed. */
  private long seed(LanceSink sink, KeyedRows b) throws Exception {
    for (long id = 1; id <= 3; id++) {
      b.add(new Row(id, "g" + id, id * 10, "insert", 1L, 1L));
    }
    write(sink, 0, b);
    return sink.table().latestVersion().getAsLong();
  }

  private static void assertUnchanged(LanceSink sink, long version) {
    assertThat(sink.table().latestVersion()).hasValue(version);
    assertThat(KeyedRows.read(sink.table(), OptionalLong.empty()))
        .containsExactlyInAnyOrderEntriesOf(Map.of(1L, 10L, 2L, 20L, 3L, 30L));
    assertThat(sink.lastCommittedBatchId()).hasValue(0);
  }

  @Test
  void nullKeyIsRejectedNamingColumnCountAndFirstRow() throws Exception {
    try (LanceSink sink = sink(WriteMode.upsert("id"))) {
      long v = seed(sink, KeyedRows.upsert());
      KeyedRows bad = KeyedRows.upsert().add(Row.of(1, 11))
          .add(new Row(null, "g", 5, null, null, null)).add(Row.of(4, 40))
          .add(new Row(null, "g", 6, null, null, null)).chunked(2);
      assertThatThrownBy(() -> write(sink, 1, bad))
          .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
            assertThat(e.column()).isEqualTo("id");
            assertThat(e.badRows()).isEqualTo(2);
            assertThat(e.firstBadRow()).startsWith("#1 ");
          })
          .hasMessageContaining("must not be null").hasMessageContaining("Nothing was committed");
      assertUnchanged(sink, v);
    }
  }

  @Test
  void duplicateKeysWithoutSequenceColumnAreRejected() throws Exception {
    try (LanceSink sink = sink(WriteMode.upsert("id"))) {
      long v = seed(sink, KeyedRows.upsert());
      KeyedRows bad = KeyedRows.upsert().add(Row.of(7, 1)).add(Row.of(5, 1)).add(Row.of(7, 2))
          .add(Row.of(5, 2)).add(Row.of(7, 3)).chunked(3);
      assertThatThrownBy(() -> write(sink, 1, bad))
          .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
            assertThat(e.column()).isEqualTo("id");
            assertThat(e.badRows()).isEqualTo(3);
            assertThat(e.firstBadRow()).isEqualTo("id=7");
          })
          .hasMessageContaining("duplicate keys").hasMessageContaining("withSequenceColumn");
      assertUnchanged(sink, v);
    }
  }

  @Test
  void nullSequenceValueIsRejected() throws Exception {
    try (LanceSink sink = sink(WriteMode.upsert("id").withSequenceColumn("seq"))) {
      long v = seed(sink, KeyedRows.upsert().withSeq());
      KeyedRows bad = KeyedRows.upsert().withSeq()
          .add(new Row(8L, "g", 1, null, null, null));
      assertThatThrownBy(() -> write(sink, 1, bad))
          .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
            assertThat(e.column()).isEqualTo("seq");
            assertThat(e.badRows()).isEqualTo(1);
            assertThat(e.firstBadRow()).isEqualTo("id=8");
          });
      assertUnchanged(sink, v);
    }
  }

  @Test
  void cdcBatchWithoutChangeTypeIsAConfigurationErrorBeforeAnythingIsWritten() throws Exception {
    try (LanceSink sink = sink(WriteMode.cdc("id"))) {
      KeyedRows bad = KeyedRows.cdc().withoutChangeType().add(Row.change(1, 1, null, 1));
      assertThatThrownBy(() -> write(sink, 0, bad))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("_change_type");
      assertThat(sink.table().latestVersion()).isEmpty(); // not even the table was created
    }
  }

  @Test
  void unknownOrNullChangeTypesAreRejected() throws Exception {
    try (LanceSink sink = sink(WriteMode.cdc("id"))) {
      long v = seed(sink, KeyedRows.cdc());
      KeyedRows bad = KeyedRows.cdc().add(Row.change(1, 11, "update_postimage", 2))
          .add(Row.change(4, 40, "upsert", 2)).add(Row.change(5, 50, null, 2))
          .add(Row.change(6, 60, "UPSERT", 2));
      assertThatThrownBy(() -> write(sink, 1, bad))
          .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
            assertThat(e.column()).isEqualTo("_change_type");
            assertThat(e.badRows()).isEqualTo(3);
            assertThat(e.firstBadRow()).isEqualTo("id=4 (_change_type=upsert)");
          });
      assertUnchanged(sink, v);
    }
  }

  @Test
  void nullGroupIsRejected() throws Exception {
    try (LanceSink sink = sink(WriteMode.replaceGroups("grp"))) {
      long v = seed(sink, KeyedRows.upsert());
      KeyedRows bad = KeyedRows.upsert().add(Row.grouped(1, "a", 1))
          .add(Row.grouped(2, null, 2));
      assertThatThrownBy(() -> write(sink, 1, bad))
          .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
            assertThat(e.column()).isEqualTo("grp");
            assertThat(e.badRows()).isEqualTo(1);
            assertThat(e.firstBadRow()).startsWith("#1 ");
          })
          .hasMessageContaining("group column");
      assertUnchanged(sink, v);
    }
  }

  @Test
  void keyColumnOfUnsupportedTypeIsAConfigurationError() throws Exception {
    try (LanceSink sink = sink(WriteMode.cdc("_commit_timestamp"))) {
      assertThatThrownBy(() -> write(sink, 0, KeyedRows.cdc().add(Row.change(1, 1, "insert", 1))))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("key column '_commit_timestamp'")
          .hasMessageContaining("signed integers or strings");
      assertThat(sink.table().latestVersion()).isEmpty();
    }
  }

  @Test
  void missingKeyOrSequenceColumnIsAConfigurationError() throws Exception {
    try (LanceSink sink = sink(WriteMode.upsert("sku"))) {
      assertThatThrownBy(() -> write(sink, 0, KeyedRows.upsert().add(Row.of(1, 1))))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("'sku'");
    }
    try (LanceSink sink = sink(WriteMode.upsert("id").withSequenceColumn("seq"))) {
      assertThatThrownBy(() -> write(sink, 0, KeyedRows.upsert().add(Row.of(1, 1))))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("sequence column 'seq'");
    }
  }
}
