package io.github.lancesink.spark;

import static io.github.lancesink.spark.TestSpark.lanceState;
import static io.github.lancesink.spark.TestSpark.lanceVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 3. A real {@code kill -9} of a child JVM running the stream, restarting from the same
 * checkpoint each time: at six freeze points in append mode; at three freeze points and three
 * random moments in CDC mode.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class KillNineTest {
  static final int BATCHES = 6;
  static final int ROWS = 200;

  @TempDir Path dir;

  /**
   * Purpose: exactly-once effect across real crashes. Steps: a Delta table of 6 commits (2
   * files each, so a batch has 2 tasks); a child JVM streams it (one commit per batch) and
   * freezes at a crash point, where the parent SIGKILLs it; restart with the next point:
   * mid-write of batch 0 (before the dataset holds any data), after batch 0's Lance commit but
   * before Spark's commit log, mid-write of batch 1 (after a replayed batch), before batch 2,
   * after batch 3, mid-write of batch 4; then run to the end. Pass: Lance holds exactly Delta's
   * 1,200 rows (no duplicate, none lost), in exactly one commit per batch (versions = create +
   * writer registration + 6), and the fragments written by killed attempts were never
   * committed (there are more data files than committed fragments).
   */
  // the other Spark lines run only the CDC kill test by default (build time); -Pspark-line-full
  // runs this one there too
  @Test
  @Tag("line-full")
  void killNineAtSixPointsThenExactState() throws Exception {
    Path delta = dir.resolve("delta");
    for (int b = 0; b < BATCHES; b++) {
      TestSpark.append(delta, TestSpark.rows((long) b * ROWS, (long) (b + 1) * ROWS, 8)
          .repartition(2));
    }
    String lance = dir.resolve("items.lance").toString();
    Path ckpt = dir.resolve("ckpt");
    List<String> points = List.of("mid:0", "after:0", "mid:1", "before:2", "after:3", "mid:4");
    for (int i = 0; i < points.size(); i++) {
      Path marker = dir.resolve("marker-" + i);
      Process p = ChildJvm.start(dir, "child-" + i, delta.toString(), lance, ckpt.toString(),
          marker.toString(), points.get(i));
      long filesBefore = dataFiles(lance);
      ChildJvm.awaitMarker(p, marker, Duration.ofMinutes(10), dir.resolve("child-" + i + ".log"));
      if (points.get(i).startsWith("mid")) {
        // the batch's other task writes its fragment while this one is frozen: wait for it
        awaitDataFiles(p, lance, filesBefore + 1, dir.resolve("child-" + i + ".log"));
      }
      ChildJvm.kill9(p);
    }
    Process last = ChildJvm.start(dir, "child-final", delta.toString(), lance, ckpt.toString(),
        dir.resolve("marker-final").toString(), "none");
    assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(last.exitValue()).as(ChildJvm.tail(dir.resolve("child-final.log"))).isZero();

    assertThat(lanceState(lance)).hasSize(BATCHES * ROWS)
        .isEqualTo(TestSpark.deltaState(delta));
    assertThat(lanceVersion(lance)).isEqualTo(2 + BATCHES);
    long committedFragments;
    try (NativeLanceTable t = new NativeLanceTable(lance, Map.of())) {
      committedFragments = t.maintenance().orElseThrow().stats().fragments();
    }
    assertThat(dataFiles(lance)).as("orphan data files of killed attempts")
        .isGreaterThan(committedFragments);
  }

  /**
   * Purpose: exactly-once effect in CDC mode across real crashes, at freeze points and at random
   * moments. Steps: a Delta table with the change feed on and 10 commits (an insert of 300 rows,
   * updates, deletes, re-inserts of deleted keys, an update of a re-inserted key); a child JVM
   * streams the change feed (one Delta file per batch) in {@code WriteMode.cdc("id")} and is
   * SIGKILLed (1) frozen mid-write of batch 0, after batch 1's Lance commit before Spark's
   * commit log, and in foreachBatch of batch 3 before the sink runs; then (2) three times at a
   * random moment: once a random batch not yet done has started, after a random 0-1.5 s delay
   * (seed {@code -Dkill.seed}, printed); then runs to the end. Pass: Lance holds exactly
   * Delta's latest state (keys, names, vectors), and the table's markers name every batch of
   * the checkpoint exactly once, in order.
   */
  @Test
  void killNineInCdcModeAtFreezePointsAndRandomMomentsThenExactState() throws Exception {
    long seed = Long.getLong("kill.seed", System.nanoTime());
    System.out.println("KillNineTest CDC kill.seed=" + seed);
    Random random = new Random(seed);
    Path delta = dir.resolve("delta-cdc");
    String t = "delta.`" + delta + "`";
    TestSpark.createDelta(delta);
    TestSpark.append(delta, TestSpark.rows(0, 300, 8));
    SparkSession spark = TestSpark.session();
    spark.sql("UPDATE " + t + " SET name = concat(name, '-v2'),"
        + " vector = transform(vector, x -> x + 1) WHERE id % 10 = 0");
    spark.sql("DELETE FROM " + t + " WHERE id % 7 = 0");
    TestSpark.append(delta, TestSpark.rows(0, 100, 8).where("id % 7 = 0")
        .selectExpr("id", "concat('re-', name) AS name", "transform(vector, x -> -x) AS vector"));
    spark.sql("UPDATE " + t + " SET name = 'again' WHERE id = 14");
    spark.sql("DELETE FROM " + t + " WHERE id BETWEEN 200 AND 220");
    TestSpark.append(delta, TestSpark.rows(300, 400, 8));
    spark.sql("UPDATE " + t + " SET name = 'last' WHERE id BETWEEN 250 AND 350");
    spark.sql("UPDATE " + t + " SET vector = transform(vector, x -> x * 2) WHERE id < 60");
    spark.sql("DELETE FROM " + t + " WHERE id = 399");
    String lance = dir.resolve("cdc.lance").toString();
    Path ckpt = dir.resolve("ckpt-cdc");
    List<String> points = List.of("mid:0", "after:1", "before:3");
    for (int i = 0; i < points.size(); i++) {
      Path marker = dir.resolve("cdc-marker-" + i);
      Process p = ChildJvm.start(dir, "cdc-" + i, delta.toString(), lance, ckpt.toString(),
          marker.toString(), points.get(i), "cdc");
      ChildJvm.awaitMarker(p, marker, Duration.ofMinutes(10), dir.resolve("cdc-" + i + ".log"));
      ChildJvm.kill9(p);
    }
    for (int i = 0; i < 3; i++) {
      long done = committedBatches(ckpt);
      long target = done + random.nextInt(2);
      Path marker = dir.resolve("cdc-random-" + i);
      Process p = ChildJvm.start(dir, "cdc-random-" + i, delta.toString(), lance,
          ckpt.toString(), marker.toString(), "none", "cdc");
      Path started = Path.of(marker + ".batch-" + target);
      if (!ChildJvm.awaitMarkerOrDone(p, started, Duration.ofMinutes(10),
          dir.resolve("cdc-random-" + i + ".log"))) {
        System.out.println("KillNineTest CDC: the stream finished before batch " + target
            + "; " + i + " random kills");
        break; // nothing left to kill: the exact-state checks below still apply
      }
      p.waitFor(random.nextInt(1500), TimeUnit.MILLISECONDS); // the random moment in the batch
      ChildJvm.kill9(p);
    }
    Process last = ChildJvm.start(dir, "cdc-final", delta.toString(), lance, ckpt.toString(),
        dir.resolve("cdc-marker-final").toString(), "none", "cdc");
    assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(last.exitValue()).as(ChildJvm.tail(dir.resolve("cdc-final.log"))).isZero();

    Map<Long, List<Object>> expected = TestSpark.deltaState(delta);
    assertThat(expected).hasSize(400 - 43 + 15 - 18 - 1);
    assertThat(lanceState(lance)).isEqualTo(expected);
    long batches = committedBatches(ckpt);
    assertThat(batches).isGreaterThanOrEqualTo(10);
    assertThat(markedBatches(lance)).as("one marker per batch")
        .isEqualTo(LongStream.range(0, batches).boxed().toList());
  }

  private static long dataFiles(String lance) throws Exception {
    Path data = Path.of(lance, "data");
    if (!Files.isDirectory(data)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(data)) {
      return files.count();
    }
  }

  /** Waits until the table's data directory holds {@code n} files (checked every 100 ms). */
  private static void awaitDataFiles(Process p, String lance, long n, Path log)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (dataFiles(lance) < n) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the frozen batch's other task wrote no fragment (alive: "
            + p.isAlive() + "); log:\n" + ChildJvm.tail(log));
      }
      p.waitFor(100, TimeUnit.MILLISECONDS);
    }
  }

  private static long committedBatches(Path ckpt) throws Exception {
    Path commits = ckpt.resolve("commits");
    if (!Files.isDirectory(commits)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(commits)) {
      return s.filter(f -> f.getFileName().toString().matches("\\d+")).count();
    }
  }

  /** The batch id of every lance-sink marker in the table, oldest version first. */
  private static List<Long> markedBatches(String lance) {
    List<Long> out = new ArrayList<>();
    try (NativeLanceTable t = new NativeLanceTable(lance, Map.of())) {
      for (long v = 1; v <= t.latestVersion().orElse(0); v++) {
        VersionProperties p = t.properties(v);
        if (p.kind() == VersionProperties.Kind.PRESENT) {
          Marker.parse(p.properties()).ifPresent(m -> out.add(m.batchId()));
        }
      }
    }
    return out;
  }
}
