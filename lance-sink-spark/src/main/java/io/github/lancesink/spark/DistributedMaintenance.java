package io.github.lancesink.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * Runs the heavy part of the sink's maintenance as Spark jobs on the executors instead of on the
 * driver: compaction and fragment merges (one task per group of fragments Lance or the planner
 * chose), and IVF_SQ / IVF_FLAT vector index builds and retrains (centroids trained in one task,
 * one index segment per group of fragments, the segments merged in one more task). The driver
 * only plans, and commits once per action, with the same policy, bounds, events and conflict
 * handling as in driver mode. Index refreshes, scalar key indices, IVF_PQ / IVF_HNSW_SQ builds
 * and version cleanup stay on the driver. See {@code docs/distributed-maintenance.md}.
 *
 * <pre>{@code
 * LanceForeachBatch fn = LanceForeachBatch.builder().settings(settings)
 *     .distributedMaintenance(DistributedMaintenance.defaults())
 *     .build();
 * }</pre>
 *
 * <p>Scheduling: maintenance jobs run in the FAIR scheduler pool {@link #pool()} (set {@code
 * spark.scheduler.mode=FAIR} so the pool takes effect; see {@code docs/cluster.md}), and one job
 * never runs more than {@link #maxConcurrentTasks()} tasks at once, so a micro-batch always finds
 * free cores. Immutable; setters reject bad values with {@link IllegalArgumentException}.
 *
 * @since 0.2.0
 */
public final class DistributedMaintenance implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default of {@link #pool()}. */
  public static final String DEFAULT_POOL = "lance-sink-maintenance";
  /** Default of {@link #maxConcurrentTasks()}: automatic (all executor cores but one). */
  public static final int DEFAULT_MAX_CONCURRENT_TASKS = 0;
  /** Default of {@link #minRowsPerJob()}. */
  public static final long DEFAULT_MIN_ROWS_PER_JOB = 100_000;

  private final String pool;
  private final int maxConcurrentTasks;
  private final long minRowsPerJob;

  private DistributedMaintenance(Builder b) {
    this.pool = b.pool;
    this.maxConcurrentTasks = b.maxConcurrentTasks;
    this.minRowsPerJob = b.minRowsPerJob;
  }

  /** Pool {@value #DEFAULT_POOL}, automatic concurrency, jobs from 100,000 rows. */
  public static DistributedMaintenance defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.pool = pool;
    b.maxConcurrentTasks = maxConcurrentTasks;
    b.minRowsPerJob = minRowsPerJob;
    return b;
  }

  /** The FAIR scheduler pool maintenance jobs are submitted to. */
  public String pool() {
    return pool;
  }

  /**
   * The most tasks one maintenance job runs at once; 0 means automatic: Spark's default
   * parallelism (the executors' cores) minus one, at least one.
   */
  public int maxConcurrentTasks() {
    return maxConcurrentTasks;
  }

  /**
   * Compactions and merges that rewrite fewer rows than this run on the driver as in driver mode
   * (a Spark job's scheduling costs more than such a merge, e.g. the unindexed tail merge a write
   * stall runs). Index builds always run on the executors.
   */
  public long minRowsPerJob() {
    return minRowsPerJob;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistributedMaintenance d && pool.equals(d.pool)
        && maxConcurrentTasks == d.maxConcurrentTasks && minRowsPerJob == d.minRowsPerJob;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pool, maxConcurrentTasks, minRowsPerJob);
  }

  @Override
  public String toString() {
    return "DistributedMaintenance{pool=" + pool + ", maxConcurrentTasks="
        + (maxConcurrentTasks == 0 ? "auto" : maxConcurrentTasks) + ", minRowsPerJob="
        + minRowsPerJob + "}";
  }

  /**
   * Builds a {@link DistributedMaintenance}.
   *
   * @since 0.2.0
   */
  public static final class Builder {
    private String pool = DEFAULT_POOL;
    private int maxConcurrentTasks = DEFAULT_MAX_CONCURRENT_TASKS;
    private long minRowsPerJob = DEFAULT_MIN_ROWS_PER_JOB;

    private Builder() {}

    /** The FAIR scheduler pool (non-blank; default {@link DistributedMaintenance#DEFAULT_POOL}). */
    public Builder pool(String pool) {
      if (pool == null || pool.isBlank()) {
        throw new IllegalArgumentException("pool must be a non-blank scheduler pool name, was '"
            + pool + "'");
      }
      this.pool = pool;
      return this;
    }

    /** The most tasks at once per job (>= 0; 0 = all executor cores but one). */
    public Builder maxConcurrentTasks(int tasks) {
      if (tasks < 0) {
        throw new IllegalArgumentException("maxConcurrentTasks must be >= 0 (0 = automatic), was "
            + tasks);
      }
      this.maxConcurrentTasks = tasks;
      return this;
    }

    /** Rewrites of fewer rows run on the driver (>= 0; 0 = every rewrite runs as a job). */
    public Builder minRowsPerJob(long rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("minRowsPerJob must be >= 0, was " + rows);
      }
      this.minRowsPerJob = rows;
      return this;
    }

    public DistributedMaintenance build() {
      return new DistributedMaintenance(this);
    }
  }
}
