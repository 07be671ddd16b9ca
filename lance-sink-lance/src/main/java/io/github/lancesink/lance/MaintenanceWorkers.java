package io.github.lancesink.lance;

import java.io.Serializable;
import java.util.List;

/**
 * Where the parallel part of a maintenance action runs. By default {@link NativeLanceTable} runs
 * all of an action in the JVM that called it. Given workers ({@link
 * NativeLanceTable#NativeLanceTable(String, java.util.Map, MaintenanceWorkers)}), it splits
 * compaction and vector index builds into self-contained tasks (each opens the table at the
 * planned version, rewrites a group of fragments or builds an index segment over them, and
 * returns a few kilobytes of metadata, never rows), hands them to {@link #runAll}, and commits
 * the results once, in the calling JVM, with the same conflict handling as a local action. The
 * Spark adapter supplies workers that run the tasks as a Spark job on the executors.
 *
 * <p>Contract: {@link #runAll} returns one result per task, in task order, or throws; a task may
 * run more than once (a retry), so tasks are idempotent apart from unreferenced files, which
 * version cleanup removes like any uncommitted fragment.
 *
 * @since 0.2.0
 */
public interface MaintenanceWorkers {

  /**
   * Runs every task and returns their results in task order. Throws when a task failed for good;
   * the caller then commits nothing.
   *
   * @param action what the tasks do, for logs and job descriptions (no credentials)
   */
  <R extends Serializable> List<R> runAll(String action, List<? extends Task<R>> tasks);

  /** How many tasks run at once at most: index builds split the table into that many groups. */
  int parallelism();

  /**
   * Whether an action that reads {@code rows} rows is worth sending to the workers; smaller ones
   * run in the calling JVM (a remote job's scheduling cost can exceed a small merge). Default:
   * always.
   */
  default boolean worthDistributing(long rows) {
    return true;
  }

  /**
   * One self-contained piece of an action; serializable, so it can run in another JVM.
   *
   * @param <R> its result: small metadata
   * @since 0.2.0
   */
  @FunctionalInterface
  interface Task<R extends Serializable> extends Serializable {
    /** Runs the piece; opens and closes whatever it needs. */
    R run();
  }
}
