package io.github.lancesink.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link StreamChild} in a separate JVM with the test classpath and Spark's flags. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path logDir, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-XX:TieredStopAtLevel=1"); // faster start-up; the child runs small batches
    cmd.add("-XX:+UseSerialGC");
    String opens = System.getProperty("spark.add.opens", "");
    cmd.addAll(Arrays.stream(opens.split("\\s+")).filter(s -> !s.isBlank()).toList());
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    cmd.add(StreamChild.class.getName());
    cmd.addAll(List.of(args));
    Path log = logDir.resolve(name + ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  /** Waits until {@code marker} exists; fails if the child exits or the timeout passes. */
  static void awaitMarker(Process p, Path marker, Duration timeout, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(marker)) {
      if (!p.isAlive()) {
        throw new AssertionError("child exited with " + p.exitValue() + " before reaching its"
            + " crash point; log " + log + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("child did not reach its crash point; log:\n" + tail(log));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /**
   * Like {@link #awaitMarker}, for a kill at a random moment: returns false instead of failing
   * when the child finished the whole stream (exit 0) before reaching {@code marker}, which
   * happens when the earlier kills left fewer batches than the one aimed at.
   */
  static boolean awaitMarkerOrDone(Process p, Path marker, Duration timeout, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(marker)) {
      if (!p.isAlive()) {
        if (p.exitValue() == 0) {
          return false;
        }
        throw new AssertionError("child exited with " + p.exitValue() + " before reaching its"
            + " crash point; log " + log + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("child did not reach its crash point; log:\n" + tail(log));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return true;
  }

  /** SIGKILL on Linux: no shutdown hooks, no finally blocks. */
  static void kill9(Process p) throws InterruptedException {
    p.destroyForcibly();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("child survived kill -9");
    }
  }

  static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
