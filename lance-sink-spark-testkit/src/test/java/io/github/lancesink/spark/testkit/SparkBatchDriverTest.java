package io.github.lancesink.spark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.testkit.CrashPoint;
import io.github.lancesink.testkit.FaultInjectingTable;
import io.github.lancesink.testkit.Faults;
import io.github.lancesink.testkit.InMemoryLanceTable;
import io.github.lancesink.testkit.LanceAssertions;
import io.github.lancesink.testkit.ManualClock;
import io.github.lancesink.testkit.StepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The driver's wiring, checkpoint bookkeeping and failure handling, on the in-memory fake. */
@ExtendWith(LocalSpark.class)
class SparkBatchDriverTest {
  static final LanceSinkSettings W = LanceSinkSettings.builder().writerId("w").build();

  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false).add("text", DataTypes.StringType);

  static List<Row> rows(long from, long to) {
    List<Row> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(RowFactory.create(i, "row " + i));
    }
    return out;
  }

  /** Every (re)start gets a new function whose sink uses the driver's table and clock. */
  @Test
  void everyRestartBuildsANewFunctionWiredToTheTableAndClock(SparkSession spark) {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<LanceForeachBatch> built = new ArrayList<>();
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
            .clock(clock).function(b -> {
              LanceForeachBatch fn = b.settings(W).build();
              built.add(fn);
              return fn;
            }).build()) {
      driver.submit(rows(0, 5), SCHEMA);
      driver.crashOnNextBatch(CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT);
      List<StepResult> steps = driver.runToCompletion();

      assertThat(built).hasSize(2);
      assertThat(built.get(1).sink()).hasValueSatisfying(s -> {
        assertThat(s.clock()).isSameAs(clock);
        assertThat(s.table().displayUri()).isEqualTo(table.displayUri());
      });
      assertThat(built.get(0).sink()).as("the crashed function was closed").isEmpty();
      assertThat(steps).extracting(StepResult::kind).containsExactly(
          StepResult.Kind.CRASHED, StepResult.Kind.ACKNOWLEDGED);
      assertThat(steps.get(0).result().map(BatchResult::outcome))
          .contains(BatchResult.Outcome.COMMITTED);
      assertThat(steps.get(1).result().map(BatchResult::outcome))
          .contains(BatchResult.Outcome.SKIPPED_DUPLICATE);
      // one tick for the restart, one for the acknowledged batch
      assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:02Z"));
      LanceAssertions.assertThat(table).containsExactlyRowsById(0, 1, 2, 3, 4)
          .hasBatchCommittedOnce("w", 0);
    }
  }

  /** The function sees the driver's query id as Spark's local property, as in a real query. */
  @Test
  void queryIdIsSetAroundEachCallAndRestored(SparkSession spark) {
    List<String> seen = new ArrayList<>();
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
            .queryId("query-1").function(b -> {
              LanceForeachBatch fn = b.settings(W).build();
              return (df, id) -> {
                seen.add(df.sparkSession().sparkContext()
                    .getLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY));
                fn.call(df, id);
              };
            }).build()) {
      driver.submit(rows(0, 2), SCHEMA);
      driver.runToCompletion();
      assertThat(seen).containsExactly("query-1");
      assertThat(spark.sparkContext().getLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY))
          .isNull();
      assertThat(driver.checkpoint().queryId()).isEqualTo("query-1");
    }
  }

  /**
   * A failure that is not a simulated crash stops the stream and is rethrown; after a restart
   * the same batch id runs again with the same input.
   */
  @Test
  void aRealFailureStopsTheStreamAndTheBatchRunsAgainAfterRestart(SparkSession spark) {
    AtomicInteger calls = new AtomicInteger();
    List<Long> ids = new ArrayList<>();
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
            .function(b -> {
              LanceForeachBatch fn = b.settings(W).build();
              return (VoidFunction2<Dataset<Row>, Long>) (df, id) -> {
                ids.add(id);
                if (calls.getAndIncrement() == 0) {
                  throw new IllegalArgumentException("bad transformation");
                }
                fn.call(df, id);
              };
            }).build()) {
      driver.submit(rows(0, 3), SCHEMA);
      assertThatThrownBy(driver::step).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bad transformation");
      assertThatThrownBy(driver::step).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("restart()");
      driver.restart();
      assertThat(driver.step().kind()).isEqualTo(StepResult.Kind.ACKNOWLEDGED);
      assertThat(ids).containsExactly(0L, 0L);
      LanceAssertions.assertThat(table).containsExactlyRowsById(0, 1, 2);
    }
  }

  /** An AutoCloseable function is closed when its "process" dies and when the driver closes. */
  @Test
  void closeableFunctionsAreClosed(SparkSession spark) {
    AtomicInteger closed = new AtomicInteger();
    try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
      try (SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
          .function(b -> new Closing(b.settings(W).build(), closed)).build()) {
        driver.submit(rows(0, 2), SCHEMA);
        driver.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
        driver.runToCompletion();
        assertThat(closed).hasValue(1);
      }
      assertThat(closed).hasValue(2);
    }
  }

  /**
   * Table-level crash points need the table's fault script: a fault wrapper brings its own, a
   * plain port (a proxy here) does not, and the driver says how to give one.
   */
  @Test
  void tableLevelCrashWithoutFaultsIsRejected(SparkSession spark) {
    try (InMemoryLanceTable fake = InMemoryLanceTable.create();
        FaultInjectingTable wrapped = new FaultInjectingTable(fake, new Faults());
        SparkBatchDriver withFaults = SparkBatchDriver.builder().spark(spark)
            .table((io.github.lancesink.spi.LanceTable) wrapped)
            .function(b -> b.settings(W).build()).build();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark)
            .table(plainPort(fake)).function(b -> b.settings(W).build()).build()) {
      withFaults.crashOnNextBatch(CrashPoint.BEFORE_WRITE);
      assertThatThrownBy(() -> driver.crashOnNextBatch(CrashPoint.BEFORE_WRITE))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining(".faults(");
    }
  }

  private static io.github.lancesink.spi.LanceTable plainPort(
      io.github.lancesink.spi.LanceTable delegate) {
    return (io.github.lancesink.spi.LanceTable) java.lang.reflect.Proxy.newProxyInstance(
        delegate.getClass().getClassLoader(),
        new Class<?>[] {io.github.lancesink.spi.LanceTable.class}, (proxy, method, args) -> {
          try {
            return method.invoke(delegate, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void builderRejectsIncompleteWiring(SparkSession spark) {
    assertThatThrownBy(() -> SparkBatchDriver.builder().table(InMemoryLanceTable.create())
        .function(b -> b.settings(W).build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("spark is required");
    assertThatThrownBy(() -> SparkBatchDriver.builder().spark(spark)
        .function(b -> b.settings(W).build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("table is required");
    assertThatThrownBy(() -> SparkBatchDriver.builder().spark(spark)
        .table(InMemoryLanceTable.create()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("function is required");
  }

  /** A table registered by the driver is unregistered when the driver closes. */
  @Test
  void theDriverUnregistersItsTable(SparkSession spark) {
    List<String> names = new ArrayList<>();
    try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
      try (SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
          .function(b -> {
            names.add(String.valueOf(b.settings(W).build()));
            return (df, id) -> { };
          }).build()) {
        assertThat(names.get(0)).contains("SparkTables.registered(spark-batch-driver-");
        String name = names.get(0).replaceAll(".*registered\\(([^)]*)\\).*", "$1");
        assertThat(SparkTables.isRegistered(name)).isTrue();
        driver.close();
        assertThat(SparkTables.isRegistered(name)).isFalse();
      }
    }
  }

  private record Closing(LanceForeachBatch fn, AtomicInteger closed)
      implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {
    @Override
    public void call(Dataset<Row> df, Long id) {
      fn.call(df, id);
    }

    @Override
    public void close() {
      closed.incrementAndGet();
      fn.close();
    }
  }

  static Map<String, Object> row(long id, String text) {
    return Map.of("id", id, "text", text);
  }
}
