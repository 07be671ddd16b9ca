package com.example.itemsync;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.spark.testkit.LocalSpark;
import io.github.lancesink.spark.testkit.SparkBatchDriver;
import io.github.lancesink.testkit.CrashPoint;
import io.github.lancesink.testkit.InMemoryLanceTable;
import io.github.lancesink.testkit.StepResult;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a consumer team tests its own foreachBatch function: only the public API of lance-sink-spark
 * and the testkits, local Spark, the in-memory fake, a crash and a replay. This module's JVM runs
 * no real-Lance test, so {@link #lanceNativeLibraryWasNeverLoaded()} can prove the fake path
 * never loads Lance's native library.
 */
@ExtendWith(LocalSpark.class)
class ItemSyncTest {
  private static final StructType ITEMS = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("title", DataTypes.StringType)
      .add("status", DataTypes.StringType);

  private static List<Row> firstBatch() {
    return List.of(
        RowFactory.create(1L, "  Wireless   Earbuds ", "live"),
        RowFactory.create(2L, "Knife Set", "draft"),     // dropped: a draft
        RowFactory.create(3L, "   ", "live"),             // dropped: blank title
        RowFactory.create(4L, "Chef KNIFE", "live"));
  }

  private static List<Row> secondBatch() {
    return List.of(
        RowFactory.create(1L, "Wireless Earbuds  PRO", "live"),   // an update of id 1
        RowFactory.create(5L, "Cutting Board", "live"));
  }

  private static List<Map<String, Object>> expectedAfterBoth() {
    return List.of(
        Map.of("id", 1L, "title", "wireless earbuds pro", "status", "live"),
        Map.of("id", 4L, "title", "chef knife", "status", "live"),
        Map.of("id", 5L, "title", "cutting board", "status", "live"));
  }

  /**
   * The job dies after its commit landed but before Spark recorded the batch: the restarted job
   * (a new ItemSync, a cold sink) replays batch 0, which is skipped, and batch 1 commits. The
   * table holds the transformed rows exactly once.
   */
  @Test
  void crashAfterCommitIsReplayedWithExactlyOnceEffect(SparkSession spark) {
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
            .function(ItemSync::create).build()) {
      driver.submit(firstBatch(), ITEMS);
      driver.submit(secondBatch(), ITEMS);
      driver.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);

      List<StepResult> steps = driver.runToCompletion();

      assertThat(steps).extracting(StepResult::kind, StepResult::batchId, StepResult::replay)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(StepResult.Kind.CRASHED, 0L, false),
              org.assertj.core.groups.Tuple.tuple(StepResult.Kind.ACKNOWLEDGED, 0L, true),
              org.assertj.core.groups.Tuple.tuple(StepResult.Kind.ACKNOWLEDGED, 1L, false));
      assertThat(steps.get(1).result().orElseThrow().outcome())
          .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      assertThat(driver.restarts()).isEqualTo(1);
      assertThat(table)
          .containsExactlyRowsByKey("id", expectedAfterBoth())
          .hasBatchCommittedOnce("item-sync", 0)
          .hasBatchCommittedOnce("item-sync", 1);
    }
  }

  /** Wherever the job dies in batch 0, the replay leaves the same table. */
  @ParameterizedTest
  @EnumSource(CrashPoint.class)
  void everyCrashPointEndsInTheSameTable(CrashPoint point, SparkSession spark) {
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
            .function(ItemSync::create).build()) {
      driver.submit(firstBatch(), ITEMS);
      driver.submit(secondBatch(), ITEMS);
      driver.crashOnNextBatch(point);

      List<StepResult> steps = driver.runToCompletion();

      assertThat(steps.get(0).crash()).contains(point);
      assertThat(table)
          .containsExactlyRowsByKey("id", expectedAfterBoth())
          .hasCommittedBatches("item-sync", 0, 1);
    }
  }

  /** Two failed commits are retried inside the batch; nothing is duplicated. */
  @Test
  void transientCommitFailuresAreRetried(SparkSession spark) {
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        SparkBatchDriver driver = SparkBatchDriver.builder().spark(spark).table(table)
            .function(ItemSync::create).build()) {
      table.faults().failNextCommits(2);
      driver.submit(firstBatch(), ITEMS);

      assertThat(driver.runToCompletion()).extracting(StepResult::kind)
          .containsExactly(StepResult.Kind.ACKNOWLEDGED);
      assertThat(table.faults().injectedCount()).isEqualTo(2);
      assertThat(table).containsExactlyRowsByKey("id", List.of(
          Map.of("id", 1L, "title", "wireless earbuds"),
          Map.of("id", 4L, "title", "chef knife")));
    }
  }

  /**
   * Runs after every test of this JVM: Lance's JNI library ({@code liblance_jni}, loaded by
   * {@code org.lance.JniLoader}'s static initializer) is not mapped into this process and that
   * class was never initialised.
   */
  @AfterAll
  static void lanceNativeLibraryWasNeverLoaded() throws Exception {
    assertThat(Files.readAllLines(Path.of("/proc/self/maps")))
        .as("Lance's native library mapped into this JVM")
        .filteredOn(line -> line.contains("lance_jni")).isEmpty();
    Class<?> loader = Class.forName("org.lance.JniLoader", false,
        ItemSyncTest.class.getClassLoader());
    assertThat(needsInitialization(loader)).as("org.lance.JniLoader initialised").isTrue();
  }

  /** True while the class's static initializer has not run (sun.misc.Unsafe, Java 17). */
  private static boolean needsInitialization(Class<?> c) throws Exception {
    Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
    Field f = unsafeClass.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    Object unsafe = f.get(null);
    return (boolean) unsafeClass.getMethod("shouldBeInitialized", Class.class)
        .invoke(unsafe, c);
  }

}
