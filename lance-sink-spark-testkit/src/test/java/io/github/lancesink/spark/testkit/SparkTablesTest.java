package io.github.lancesink.spark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.InMemoryLanceTable;
import io.github.lancesink.testkit.LanceAssertions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry that lets Spark tasks reach an in-process table, and the table factory path. */
@ExtendWith(LocalSpark.class)
class SparkTablesTest {

  /** The factory survives serialization and opens a handle whose close leaves the table open. */
  @Test
  void aSerializedFactoryFindsTheTableAndItsHandlesDoNotCloseIt() throws Exception {
    try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
      TableFactory f = SparkTables.register("t-serial", table);
      try {
        TableFactory copy = roundTrip(f);
        try (LanceTable handle = copy.open()) {
          assertThat(handle.displayUri()).isEqualTo(table.displayUri());
        }
        // still usable after a handle was closed
        assertThat(table.latestVersion()).isEmpty();
        assertThat(copy.toString()).isEqualTo("SparkTables.registered(t-serial)");
      } finally {
        SparkTables.unregister("t-serial");
      }
      assertThatThrownBy(f::open).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no table is registered as 't-serial'")
          .hasMessageContaining("local[n]");
    }
  }

  @Test
  void aNameHoldsOneTable() {
    try (InMemoryLanceTable a = InMemoryLanceTable.create();
        InMemoryLanceTable b = InMemoryLanceTable.create()) {
      SparkTables.register("t-dup", a);
      try {
        SparkTables.register("t-dup", a); // the same table again is fine
        assertThatThrownBy(() -> SparkTables.register("t-dup", b))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already registered as 't-dup'");
      } finally {
        SparkTables.unregister("t-dup");
      }
    }
  }

  /**
   * LanceForeachBatch with a table factory: the driver and every executor task open handles
   * through it (never a native table), and the batch lands in the registered fake.
   */
  @Test
  void foreachBatchWritesThroughTheFactoryOnDriverAndExecutors(SparkSession spark) {
    try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
      TableFactory registered = SparkTables.register("t-count", table);
      Counting.OPENS.set(0);
      try (LanceForeachBatch fn = LanceForeachBatch.builder()
          .settings(LanceSinkSettings.builder()
              .writerId("w")
              .build())
          .table(new Counting(registered)).build()) {
        var df = spark.range(0, 20).repartition(2).selectExpr("id", "concat('t', id) AS text");
        spark.sparkContext().setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, "q");
        try {
          fn.call(df, 0L);
        } finally {
          spark.sparkContext().setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, null);
        }
      } finally {
        SparkTables.unregister("t-count");
      }
      // one driver handle plus one per non-empty partition
      assertThat(Counting.OPENS.get()).isEqualTo(3);
      LanceAssertions.assertThat(table).hasRowCount(20).hasBatchCommittedOnce("w", 0);
    }
  }

  @Test
  void builderTakesEitherAUriOrATable() {
    TableFactory f = SparkTables.registered("x");
    assertThatThrownBy(() -> LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .writerId("w")
            .build())
        .build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("a table is required");
    assertThatThrownBy(() -> LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .writerId("w")
            .tableUri("/tmp/x")
            .build())
        .table(f).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    assertThat(LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .writerId("w")
            .build())
        .table(f).build().toString())
        .contains("table=SparkTables.registered(x)");
  }

  private record Counting(TableFactory delegate) implements TableFactory {
    static final AtomicInteger OPENS = new AtomicInteger();

    @Override
    public LanceTable open() {
      OPENS.incrementAndGet();
      return delegate.open();
    }
  }

  private static TableFactory roundTrip(TableFactory f) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(f);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (TableFactory) in.readObject();
    }
  }

}
