package io.github.lancesink.spark;

import static io.github.lancesink.spark.TestSpark.lanceState;
import static io.github.lancesink.spark.TestSpark.lanceVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.internal.lance.NativeLanceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 3. A real {@code kill -9} of a child JVM running the stream, at six points, restarting
 * from the same checkpoint each time.
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
  @Test
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
      ChildJvm.awaitMarker(p, marker, Duration.ofMinutes(3), dir.resolve("child-" + i + ".log"));
      if (points.get(i).startsWith("mid")) {
        TimeUnit.SECONDS.sleep(5); // let the batch's other task finish writing its fragment
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
      committedFragments = t.stats().fragments();
    }
    try (Stream<Path> files = Files.list(Path.of(lance, "data"))) {
      assertThat(files.count()).as("orphan data files of killed attempts")
          .isGreaterThan(committedFragments);
    }
  }
}
