package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The micro-batch driver example of docs/testkit.md, run, so the docs cannot rot. Every Java
 * snippet of the README and docs/ is also compiled by lance-sink-spark's {@code
 * DocsSnippetsCompileTest}.
 */
class DocsExampleTest {

  @Test
  void crashAfterCommitIsReplayedWithoutDuplicates() {
    InMemoryLanceTable table = InMemoryLanceTable.create();
    try (MicroBatchDriver driver = MicroBatchDriver.builder()
        .table(table)          // applied with its Faults, the clock and a sleeper on every restart
        .settings(LanceSinkSettings.builder().writerId("items-sync").vectorColumn("vector", 8)
            .build())
        .build()) {
      driver.submit(TestBatch.sequential(0, 10, 8));
      driver.submit(TestBatch.sequential(10, 10, 8));
      driver.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
      List<StepResult> steps = driver.runToCompletion();   // crash, restart, replay, batch 1

      assertThat(driver.restarts()).isEqualTo(1);
      assertThat(steps).extracting(StepResult::batchId).containsExactly(0L, 0L, 1L);
      assertThat(steps.get(0).kind()).isEqualTo(StepResult.Kind.CRASHED);
      assertThat(steps.get(1).replay()).isTrue();               // batch 0 again, same id
      assertThat(steps.get(1).result().orElseThrow().outcome())
          .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);    // ...and skipped
      assertThat(steps.get(2).result().orElseThrow().outcome())
          .isEqualTo(BatchResult.Outcome.COMMITTED);
    }
    LanceAssertions.assertThat(table)
        .containsExactlyRowsOf(TestBatch.sequential(0, 20, 8))
        .hasNoDuplicateKeys("id")
        .hasCommittedBatches("items-sync", 0, 1);
  }

  /**
   * Purpose: the example in docs/testkit.md is this class's test, word for word (whitespace
   * aside), so the page shows code that runs. Pass: the page's block is in this source.
   */
  @Test
  void theDocsPageShowsThisTestsCode() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "testkit.md"));
    int at = page.indexOf("void crashAfterCommitIsReplayedWithoutDuplicates()");
    assertThat(at).as("the example in docs/testkit.md").isPositive();
    String block = page.substring(page.lastIndexOf("```java", at) + 7, page.indexOf("```", at));
    String self = Files.readString(
        Path.of("src/test/java/io/github/lancesink/testkit/DocsExampleTest.java"));
    assertThat(squash(self)).contains(squash(block));
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
