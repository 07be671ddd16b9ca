package io.github.lancesink.spark.internal;

import io.github.lancesink.lance.MaintenanceWorkers;
import io.github.lancesink.spark.DistributedMaintenance;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MaintenanceWorkers} that run a maintenance action's tasks as one Spark job: in the FAIR
 * pool of the {@link DistributedMaintenance} settings, in their own job group (so stopping the
 * stream, which cancels the stream's group, does not cancel maintenance, and {@code close()}
 * can), with at most {@link #parallelism()} tasks at once (the tasks are spread over that many
 * partitions). A failed task is retried by Spark ({@code spark.task.maxFailures}); the job's
 * results reach the caller only when every task succeeded. Called on the driver only.
 */
public final class SparkMaintenanceWorkers implements MaintenanceWorkers {
  private static final Logger LOG = LoggerFactory.getLogger(SparkMaintenanceWorkers.class);
  private static final String[] PROPERTIES = {"spark.scheduler.pool", "spark.jobGroup.id",
      "spark.job.description", "spark.job.interruptOnCancel", "spark.sql.execution.id"};

  /** Runs in each task before its work (tests inject task failures through it). */
  @FunctionalInterface
  public interface TaskHook extends Serializable {
    void beforeTask();
  }

  private final SparkContext context;
  private final DistributedMaintenance settings;
  private final TaskHook hook;

  public SparkMaintenanceWorkers(SparkContext context, DistributedMaintenance settings) {
    this(context, settings, () -> {});
  }

  public SparkMaintenanceWorkers(SparkContext context, DistributedMaintenance settings,
      TaskHook hook) {
    this.context = context;
    this.settings = settings;
    this.hook = hook;
  }

  @Override
  public int parallelism() {
    int max = settings.maxConcurrentTasks();
    return max > 0 ? max : Math.max(1, context.defaultParallelism() - 1);
  }

  @Override
  public boolean worthDistributing(long rows) {
    return rows >= settings.minRowsPerJob();
  }

  @Override
  public <R extends Serializable> List<R> runAll(String action, List<? extends Task<R>> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    Map<String, String> saved = new HashMap<>();
    for (String p : PROPERTIES) {
      saved.put(p, context.getLocalProperty(p));
    }
    String group = "lance-sink-maintenance-" + UUID.randomUUID();
    long start = System.nanoTime();
    JavaFutureAction<List<R>> job = null;
    try {
      context.setLocalProperty("spark.scheduler.pool", settings.pool());
      // not part of the micro-batch's SQL execution this thread may have inherited
      context.setLocalProperty("spark.sql.execution.id", null);
      context.setJobGroup(group, "lance-sink maintenance: " + action, true);
      int partitions = Math.min(tasks.size(), parallelism());
      job = JavaSparkContext.fromSparkContext(context)
          .parallelize(new ArrayList<Task<R>>(tasks), partitions)
          .map(new RunTask<R>(hook)).collectAsync();
      List<R> results = job.get();
      LOG.info("lance-sink maintenance job '{}' ran {} tasks in {} partitions (pool {}) in {} ms",
          action, tasks.size(), partitions, settings.pool(),
          (System.nanoTime() - start) / 1_000_000);
      return results;
    } catch (InterruptedException e) {
      job.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("lance-sink maintenance job '" + action
          + "' interrupted; nothing was committed", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("lance-sink maintenance job '" + action
          + "' failed after Spark's task retries; nothing was committed: " + cause.getMessage(),
          cause);
    } finally {
      saved.forEach(context::setLocalProperty);
    }
  }

  /** The function every task runs: the hook, then the work. */
  private static final class RunTask<R extends Serializable> implements Function<Task<R>, R> {
    private static final long serialVersionUID = 1L;
    private final TaskHook hook;

    RunTask(TaskHook hook) {
      this.hook = hook;
    }

    @Override
    public R call(Task<R> task) {
      hook.beforeTask();
      return task.run();
    }
  }
}
