package io.github.lancesink.spark;

import static io.github.lancesink.spark.TestSpark.lanceState;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The longer randomized crash run, behind {@code -Psoak} (not run by CI):
 * {@code mvn -B -pl lance-sink-spark -am test -Psoak -Dtest=KillNineSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.seed=42 -Dsoak.kills=12}.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.HOURS)
@Tag("soak")
class KillNineSoakTest {
  @TempDir Path dir;

  /**
   * Purpose: exactly-once effect under many random crashes. Steps: 15 Delta commits; repeat
   * {@code soak.kills} times: start the child, then SIGKILL it either at a random crash point of
   * the next batch (before, mid-write, after the Lance commit) or after a random delay; finally
   * run to the end. Pass: Lance equals Delta exactly. The seed is printed for reproduction.
   */
  @Test
  void randomKillsThenExactState() throws Exception {
    long seed = Long.getLong("soak.seed", System.nanoTime());
    int kills = Integer.getInteger("soak.kills", 12);
    System.out.println("KillNineSoakTest seed=" + seed + " kills=" + kills);
    Random random = new Random(seed);
    Path delta = dir.resolve("delta");
    int batches = 15;
    for (int b = 0; b < batches; b++) {
      TestSpark.append(delta, TestSpark.rows(b * 200L, (b + 1) * 200L, 8).repartition(2));
    }
    String lance = dir.resolve("items.lance").toString();
    Path ckpt = dir.resolve("ckpt");
    for (int i = 0; i < kills; i++) {
      long next = committedBatches(ckpt);
      String[] phases = {"before", "mid", "after", "timed"};
      String phase = phases[random.nextInt(phases.length)];
      Path marker = dir.resolve("marker-" + i);
      String point = phase.equals("timed") || next >= batches ? "none" : phase + ":" + next;
      Process p = ChildJvm.start(dir, "soak-" + i, delta.toString(), lance, ckpt.toString(),
          marker.toString(), point);
      if (point.equals("none")) {
        p.waitFor(5 + random.nextInt(40), TimeUnit.SECONDS);
      } else {
        ChildJvm.awaitMarker(p, marker, Duration.ofMinutes(3), dir.resolve("soak-" + i + ".log"));
      }
      ChildJvm.kill9(p);
    }
    Process last = ChildJvm.start(dir, "soak-final", delta.toString(), lance, ckpt.toString(),
        dir.resolve("marker-final").toString(), "none");
    assertThat(last.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(last.exitValue()).as(ChildJvm.tail(dir.resolve("soak-final.log"))).isZero();
    assertThat(lanceState(lance)).hasSize(batches * 200).isEqualTo(TestSpark.deltaState(delta));
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
}
