package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The up-front check of the --add-opens flags. */
class JvmFlagsTest {

  /** Purpose: the check sees flags that are set (this JVM runs with Spark's list). */
  @Test
  void flagsOfThisJvmAreSeen() {
    assertThat(JvmFlags.missing(JvmFlags.ARROW)).isEmpty();
    assertThat(JvmFlags.missing(JvmFlags.SPARK)).isEmpty();
  }

  /** Purpose: a package that is not opened is reported (java.time is in no list). */
  @Test
  void aMissingFlagIsReported() {
    String time = "--add-opens=java.base/java.time=ALL-UNNAMED";
    assertThat(JvmFlags.missing(List.of(time, JvmFlags.ARROW.get(0)))).containsExactly(time);
    assertThat(JvmFlags.message(List.of(time), "X")).contains(time).contains("<argLine>")
        .contains("surefire");
  }

  /**
   * Purpose: a JVM without the flags fails at the first InMemoryLanceTable with the list, not
   * with Arrow's "Could not initialize class ...MemoryUtil". Steps: run {@link NoFlagsMain} in a
   * child JVM with this classpath and no --add-opens. Pass: it prints the message naming
   * java.nio.
   */
  @Test
  void aJvmWithoutFlagsFailsWithTheList() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path")
        + File.pathSeparator + System.getProperty("surefire.test.class.path", ""),
        NoFlagsMain.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("IllegalStateException")
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED")
        .doesNotContain("MemoryUtil");
    assertThat(p.exitValue()).isNotZero();
  }

  /** Builds the in-memory table in a JVM started without any --add-opens. */
  public static final class NoFlagsMain {
    public static void main(String[] args) {
      InMemoryLanceTable.create().close();
      System.out.println("created without flags");
    }
  }
}
