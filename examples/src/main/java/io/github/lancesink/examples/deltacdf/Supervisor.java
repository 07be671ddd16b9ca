package io.github.lancesink.examples.deltacdf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code --kill-and-restart} mode: runs the job in a child JVM, kills it with SIGKILL right
 * after the sink commits a batch in the middle of the run (the child holds that batch inside
 * {@code foreachBatch}, so Spark has not recorded it in its checkpoint), then starts a new child
 * on the same work directory. The second
 * child resumes from the Spark checkpoint; Spark replays the interrupted batch, the sink finds
 * its marker in Lance and skips it, and the final check proves nothing was lost or doubled.
 */
final class Supervisor {
  private final Settings settings;
  private final Path workDir;
  private final Terminal out;

  Supervisor(Settings settings, Path workDir, Terminal out) {
    this.settings = settings;
    this.workDir = workDir;
    this.out = out;
  }

  /** The round after whose first committed batch the first child is killed. */
  int killRound() {
    return Math.max(1, (settings.rounds() + 1) / 2);
  }

  int run() throws Exception {
    out.line("kill-and-restart: run 1 is killed with SIGKILL right after its first Lance commit"
        + " in round " + killRound() + "; run 2 resumes on " + workDir);
    Process first = start(true);
    boolean killed = pump(first, "run 1", killRound());
    int code = first.waitFor();
    if (!killed) {
      out.line("run 1 ended by itself (exit " + code + ") before the kill point");
      return code;
    }
    out.line(">>> run 1 killed with SIGKILL (exit " + code + "); starting run 2 on the same"
        + " Delta table, checkpoint and Lance dataset");
    Process second = start(false);
    pump(second, "run 2", -1);
    int result = second.waitFor();
    out.line(">>> run 2 exited with " + result);
    return result;
  }

  private Process start(boolean freeze) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-D" + DeltaCdfToLance.FREEZE_ROUND_PROPERTY + "="))
        .toList());
    if (freeze) {
      cmd.add("-D" + DeltaCdfToLance.FREEZE_ROUND_PROPERTY + "=" + killRound());
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DeltaCdfToLance.class.getName());
    cmd.addAll(settings.childArgs(workDir));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /**
   * Echoes the child's output; when {@code killRound > 0}, kills the child with SIGKILL when it
   * reports that it holds a batch committed to Lance after that round was applied to Delta.
   *
   * @return whether the child was killed
   */
  private boolean pump(Process child, String name, int killRound) {
    String armedAt = DeltaCdfToLance.ROUND_TAG + killRound + "/";
    boolean armed = false;
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.line("[" + name + "] " + line);
        if (killRound > 0 && line.startsWith(armedAt)) {
          armed = true;
        } else if (armed && line.startsWith(Progress.FROZEN_TAG)) {
          child.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hooks, no cleanup
          out.line(">>> SIGKILL sent to " + name + " (pid " + child.pid() + ") right after a"
              + " Lance commit");
          return true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
