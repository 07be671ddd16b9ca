package io.github.lancesink.bench;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Splits a timed {@code foreachBatch} call: the wall time of its Spark jobs (the tasks that
 * write fragments) and the longest task's run time, so the rest of the call is the driver's
 * part (planning, ledger check, commit). Listener events arrive asynchronously; read the values
 * after {@link #settle}.
 */
final class SparkJobTimer extends SparkListener {
  private volatile long jobStartMs;
  private volatile long jobMs;
  private volatile long maxTaskMs;
  private volatile long sumTaskCpuNs;
  private volatile int jobsEnded;

  synchronized void reset() {
    jobMs = 0;
    maxTaskMs = 0;
    sumTaskCpuNs = 0;
    jobsEnded = 0;
  }

  /** Waits (briefly) until {@code jobs} jobs ended since the last reset. */
  void settle(int jobs) throws InterruptedException {
    for (int i = 0; i < 200 && jobsEnded < jobs; i++) {
      Thread.sleep(10);
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    jobStartMs = e.time();
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    jobMs += e.time() - jobStartMs;
    jobsEnded++;
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    if (e.taskInfo() != null) {
      maxTaskMs = Math.max(maxTaskMs, e.taskInfo().duration());
    }
    if (e.taskMetrics() != null) {
      sumTaskCpuNs += e.taskMetrics().executorCpuTime();
    }
  }

  double jobSec() {
    return jobMs / 1e3;
  }

  double maxTaskSec() {
    return maxTaskMs / 1e3;
  }

  double taskCpuSec() {
    return sumTaskCpuNs / 1e9;
  }
}
