package io.github.lancesink.spark;

/**
 * Configuration keys of the Spark adapter. Each key can be set on the {@link
 * LanceForeachBatch.Builder#option(String, String) builder} (as a writer option) or in the Spark
 * session conf ({@code spark.conf.set(...)}, {@code --conf}). Precedence: a setting given
 * explicitly in {@code LanceSinkSettings}, then a writer option, then the session conf, then
 * the default.
 *
 * @since 0.1.0
 */
public final class LanceSinkOptions {
  private LanceSinkOptions() {}

  /**
   * Checks a writer option: the key is one of these keys (starts with {@value #PREFIX}) and the
   * value is non-null.
   *
   * @throws IllegalArgumentException naming the key otherwise
   */
  public static void requireKey(String key, String value) {
    if (key == null || !key.startsWith(PREFIX) || value == null) {
      throw new IllegalArgumentException("option keys start with '" + PREFIX
          + "' and values are non-null; key was '" + key + "'");
    }
  }

  /** Prefix shared by every key. */
  public static final String PREFIX = "lance.sink.";

  /**
   * Maximum attempts for a commit whose failure is known to have had no effect (integer >= 1).
   * Default: {@code RetryPolicy.DEFAULT_MAX_ATTEMPTS}. Ignored when the settings give a
   * {@code RetryPolicy} explicitly.
   */
  public static final String RETRY_MAX_ATTEMPTS = "lance.sink.retry.max-attempts";

  /**
   * How many table versions a cold dedup-ledger lookup walks back (integer >= 1). Default:
   * {@code LanceSinkSettings.DEFAULT_LOOKBACK}. If this writer's last marker is older the sink
   * fails closed.
   */
  public static final String LEDGER_LOOKBACK = "lance.sink.ledger.lookback";

  /**
   * What to do when batches arrive from a new Spark query id (a new checkpoint): {@code fail}
   * (default; fail loudly when batch ids went backwards) or {@code start-new} (explicit opt-in:
   * the new query starts a fresh sequence).
   */
  public static final String LINEAGE_POLICY = "lance.sink.lineage.policy";

  /**
   * Whether maintenance (compaction, index upkeep, cleanup) runs between batches: {@code true}
   * (default, {@code OptimizePolicy.defaults()}) or {@code false} ({@code OptimizePolicy.never()}).
   * Ignored when the settings give an {@code OptimizePolicy}
   * explicitly.
   */
  public static final String OPTIMIZE_ENABLED = "lance.sink.optimize.enabled";

  /**
   * Rows per Arrow record batch that executors hand to the Lance writer (integer >= 1). Default
   * {@value #DEFAULT_ARROW_BATCH_ROWS}. Bounds executor memory per task to a few batches of
   * rows x row width: the one the task converts, one queued for Lance's writer thread, and those
   * Lance's encoder still references (26 MB per task measured at 128-d with the default).
   */
  public static final String ARROW_BATCH_ROWS = "lance.sink.arrow.batch-rows";

  /** Default of {@link #ARROW_BATCH_ROWS}. */
  public static final int DEFAULT_ARROW_BATCH_ROWS = 8_192;

  /**
   * Where compaction and vector index builds run: {@code driver} (default) or {@code
   * distributed} (as Spark jobs on the executors, with {@link DistributedMaintenance#defaults()}
   * and the two keys below). Ignored when the builder is given {@link
   * LanceForeachBatch.Builder#distributedMaintenance(DistributedMaintenance)} explicitly.
   *
   * @since 0.2.0
   */
  public static final String MAINTENANCE_EXECUTION = "lance.sink.maintenance.execution";

  /**
   * The FAIR scheduler pool of distributed maintenance jobs (default {@value
   * DistributedMaintenance#DEFAULT_POOL}).
   *
   * @since 0.2.0
   */
  public static final String MAINTENANCE_POOL = "lance.sink.maintenance.scheduler-pool";

  /**
   * The most tasks one distributed maintenance job runs at once (integer >= 1; default: all
   * executor cores but one).
   *
   * @since 0.2.0
   */
  public static final String MAINTENANCE_MAX_TASKS = "lance.sink.maintenance.max-tasks";

  /**
   * Prefix of storage options handed to Lance: {@code lance.sink.storage.aws_region=eu-west-1}
   * becomes the storage option {@code aws_region}. Values are never logged.
   */
  public static final String STORAGE_PREFIX = "lance.sink.storage.";
}
