package io.github.lancesink.examples.deltacdf;

import static io.github.lancesink.examples.deltacdf.DeltaCdfToLanceSmokeTest.deltaRows;
import static io.github.lancesink.examples.deltacdf.DeltaCdfToLanceSmokeTest.lanceRows;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --kill-and-restart} mode end to end: two child JVMs, the first killed with a real
 * SIGKILL right after a Lance commit.
 */
@Tag(ExampleTests.NEEDS_CDC)
@Tag(ExampleTests.SLOW)
class KillAndRestartSmokeTest {
  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
  }

  /**
   * Purpose: a SIGKILL mid-run neither loses nor duplicates a change. Steps: run the supervisor
   * with 3 rounds (hashing stand-in embedder, for speed); it kills run 1 after its first commit
   * in round 2 (the child holds that batch inside foreachBatch, so Spark has not checkpointed
   * it) and starts run 2 on the same directory. Pass: run 1 died by SIGKILL (exit 137); run 2
   * resumed, replayed exactly the held batch and skipped it (one replay skipped), and exited 0;
   * Lance (read with the plain Lance API) equals Delta's latest state row for row.
   */
  @Test
  void sigkillMidRunThenRestartKeepsLanceEqualToDelta() throws Exception {
    Settings s = Settings.parse("--seed-docs", "40", "--rounds", "3", "--inserts", "6",
        "--updates", "5", "--deletes", "4", "--trigger-ms", "200", "--top-k", "3",
        "--embedder", "hashing", "--kill-and-restart");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Terminal out = new Terminal(new PrintStream(buf, true, StandardCharsets.UTF_8), false);

    int code = new Supervisor(s, dir, out).run();

    String printed = buf.toString(StandardCharsets.UTF_8);
    System.out.println(printed); // kept in target/surefire-reports/*-output.txt
    assertThat(code).as(printed).isZero();
    assertThat(printed).contains("SIGKILL sent to run 1", "run 1 killed with SIGKILL (exit 137)",
        "[run 2] Resuming in", "[run 2] CHECK [ok]");
    // run 1 was killed while it held a batch that was in Lance but not in Spark's checkpoint:
    // run 2 must have replayed exactly that batch and skipped it
    java.util.regex.Matcher frozen = java.util.regex.Pattern.compile(
        "\\[run 1\\] +\\[frozen\\] batch (\\d+) is committed to Lance").matcher(printed);
    assertThat(frozen.find()).as(printed).isTrue();
    assertThat(printed).as("run 2 skipped the replay of the frozen batch")
        .containsPattern("\\[run 2\\] +batch " + frozen.group(1)
            + " was already committed to Lance \\(version \\d+\\): replay skipped")
        .containsPattern("\\[run 2\\] Summary \\(batches this run: \\d+, replays skipped: 1,");
    SparkSession spark = DeltaCdfToLance.session();
    assertThat(spark).isNotNull();
    Map<Long, List<Object>> lance = new TreeMap<>();
    lanceRows(dir.resolve("docs.lance")).forEach((k, v) -> lance.put(k, v.subList(0, 2)));
    assertThat(lance).isEqualTo(deltaRows(dir.resolve("docs_delta")));
  }
}
