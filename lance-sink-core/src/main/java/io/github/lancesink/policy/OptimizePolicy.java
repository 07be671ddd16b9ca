package io.github.lancesink.policy;

import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When and how the sink keeps the table fast: compaction, vector index build and refresh, scalar
 * key indices and version cleanup. Immutable.
 *
 * <p><b>When</b> (triggers, checked after every committed batch; any one starts a run): every
 * {@linkplain #everyCommits() N data commits}, every {@linkplain #interval() T of wall time},
 * more than {@linkplain #maxFragments() F fragments}, more than {@linkplain #maxUnindexedRows() U
 * unindexed rows}, a {@linkplain #maxDeletedRatio() deleted-row ratio} above D, or the table
 * reaching the {@linkplain #indexMinRows() index threshold} for the first time.
 *
 * <p><b>What</b> a run does, in order, each only when the table needs it: compact small
 * fragments, one size tier at a time ({@link #compactionFanIn()}), towards {@link
 * #targetRowsPerFragment()}; build the vector index (or retrain it once
 * the rows added since training exceed {@link #retrainDrift()} of the rows it was trained on);
 * fold unindexed rows into every index, merging delta segments once there are more than {@link
 * #maxIndexDeltas()}; create missing {@linkplain #scalarIndexColumns() scalar key indices}; and
 * remove versions older than the newest {@link #retainVersions()}.
 *
 * <p><b>Safety.</b> A run never adds more than {@link #maxVersionsPerCommit()} versions, so the
 * dedup ledger's walk back from the latest version always reaches the last data marker. Before
 * cleanup removes versions, the run records every writer's last marker in the table config (a
 * ledger checkpoint), so a cold ledger finds it whatever the retention. A failed
 * action never fails a batch; it is retried after {@link #retryBackoff()} (doubling per failure).
 *
 * <pre>{@code
 * OptimizePolicy p = OptimizePolicy.defaults().toBuilder()
 *     .everyCommits(5)
 *     .indexMinRows(50_000)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class OptimizePolicy implements Serializable {
  private static final long serialVersionUID = 4L;

  /** Background: maintenance never adds latency to a batch. */
  public static final MaintenanceMode DEFAULT_MODE = MaintenanceMode.BACKGROUND;
  /** Inline: no new action starts after 30 s. Background: close() waits this long. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
  /** Every 10 data commits (10 minutes at a 1-minute trigger). */
  public static final int DEFAULT_EVERY_COMMITS = 10;
  /** At least every 10 minutes of wall time (checked at commits). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
  /** Commit latency grows with fragment count; 64 keeps manifests small. */
  public static final int DEFAULT_MAX_FRAGMENTS = 64;
  /** Flat-scanned rows beyond the index; 100k 128-d rows scan in a few ms per query. */
  public static final long DEFAULT_MAX_UNINDEXED_ROWS = 100_000;
  /** Deleted rows still read and filtered; compact once they are 10 %. */
  public static final double DEFAULT_MAX_DELETED_RATIO = 0.10;
  /** Lance's own default target fragment size. */
  public static final long DEFAULT_TARGET_ROWS_PER_FRAGMENT = 1_048_576;
  /** Merge 8 fragments of one size tier at a time: each row is rewritten about once per tier. */
  public static final int DEFAULT_COMPACTION_FAN_IN = 8;
  /** Below 100k rows a flat scan is fast enough and IVF training has too few samples. */
  public static final long DEFAULT_INDEX_MIN_ROWS = 100_000;
  /** Each delta segment is searched separately; merge once there are more than 4. */
  public static final int DEFAULT_MAX_INDEX_DELTAS = 4;
  /** Retrain (re-derived parameters) once the table has doubled since training. */
  public static final double DEFAULT_RETRAIN_DRIFT = 1.0;
  /**
   * Keep 100 versions: Lance's commit cost grows with retained versions (measured +40% at 2,400,
   * flat at 100). The dedup ledger does not need more: maintenance checkpoints every writer's
   * last marker into the table config before it cleans up (see {@link #retainVersions()}).
   */
  public static final int DEFAULT_RETAIN_VERSIONS = 100;
  /** Compaction (2) + index (1) + refresh (1) + scalar indices, with headroom. */
  public static final int DEFAULT_MAX_VERSIONS_PER_COMMIT = 8;
  /** First retry of a failed action after 1 minute, doubling up to 32 minutes. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMinutes(1);

  private static final OptimizePolicy DEFAULTS = new Builder().build();
  private static final OptimizePolicy NEVER = new OptimizePolicy(new Builder(), false);

  /**
   * When a run starts (any one trigger). Zero turns a trigger off.
   *
   * @param everyCommits run every this many data commits
   * @param interval run when this much time passed since the last run
   * @param maxFragments run above this many fragments; background: writes slow down above 3/4
   *     of it and stop above it
   * @param maxUnindexedRows once a vector index exists, unindexed rows are indexed in batches of
   *     about this many; background: writes slow down above 1.5x and stop above 2x
   * @param maxDeletedRatio run (and compact) when deleted rows exceed this fraction of all rows
   */
  public record Triggers(int everyCommits, Duration interval, int maxFragments,
      long maxUnindexedRows, double maxDeletedRatio) implements Serializable {}

  /**
   * How fragments are merged.
   *
   * @param targetRowsPerFragment small fragments are merged into fragments of about this size
   * @param fanIn size tiers are this factor apart, and a tier is merged once it (with the tiers
   *     below it) holds this many fragments: larger values rewrite rows fewer times but leave
   *     more small fragments between merges
   */
  public record Compaction(long targetRowsPerFragment, int fanIn) implements Serializable {}

  /**
   * The vector index and the scalar key indices.
   *
   * @param minRows build the vector index once the table has this many rows; 0 never builds it
   * @param type the index type ({@code AUTO} picks IVF_SQ)
   * @param partitions IVF partitions; 0 derives them from the row count at build time
   * @param subVectors PQ sub-vectors; 0 derives them from the dimension
   * @param metric the distance metric
   * @param maxDeltas delta index segments allowed before they are merged
   * @param retrainDrift retrain when rows added since training exceed this fraction of the
   *     trained rows; 0 never retrains
   * @param scalarColumns columns that get a BTREE index (the write mode's keys are always added)
   */
  public record Indexing(long minRows, VectorIndexType type, int partitions, int subVectors,
      DistanceMetric metric, int maxDeltas, double retrainDrift, Set<String> scalarColumns)
      implements Serializable {
    public Indexing {
      scalarColumns = Collections.unmodifiableSortedSet(new TreeSet<>(scalarColumns));
    }
  }

  /**
   * Versions kept and added.
   *
   * @param retainVersions cleanup keeps this many newest versions (how far back you can read or
   *     restore); any value is safe for the dedup ledger, which cleanup checkpoints first
   * @param maxVersionsPerCommit the most versions one maintenance run may add
   */
  public record Retention(int retainVersions, int maxVersionsPerCommit) implements Serializable {}

  private final boolean enabled;
  private final MaintenanceMode mode;
  private final Duration budget;
  private final Duration retryBackoff;
  private final Triggers triggers;
  private final Compaction compaction;
  private final Indexing indexing;
  private final Retention retention;

  private OptimizePolicy(Builder b, boolean enabled) {
    this.enabled = enabled;
    this.mode = b.mode;
    this.budget = b.budget;
    this.retryBackoff = b.retryBackoff;
    this.triggers = new Triggers(b.everyCommits, b.interval, b.maxFragments, b.maxUnindexedRows,
        b.maxDeletedRatio);
    this.compaction = new Compaction(b.targetRowsPerFragment, b.compactionFanIn);
    this.indexing = new Indexing(b.indexMinRows, b.indexType, b.indexPartitions,
        b.indexSubVectors, b.metric, b.maxIndexDeltas, b.retrainDrift, b.scalarIndexColumns);
    this.retention = new Retention(b.retainVersions, b.maxVersionsPerCommit);
  }

  /** The recommended policy (see the {@code DEFAULT_*} constants for each value and why). */
  public static OptimizePolicy defaults() {
    return DEFAULTS;
  }

  /** No maintenance at all: fragments, versions and unindexed rows grow without bound. */
  public static OptimizePolicy never() {
    return NEVER;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values (an enabled policy even when this is never()). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** False only for {@link #never()}. */
  public boolean enabled() {
    return enabled;
  }

  public MaintenanceMode mode() {
    return mode;
  }

  /** Inline: no action starts after this. Background: the longest write stall; close() wait. */
  public Duration budget() {
    return budget;
  }

  /** Wait before retrying a failed action; doubles per consecutive failure, up to 32x. */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  public Triggers triggers() {
    return triggers;
  }

  public Compaction compaction() {
    return compaction;
  }

  public Indexing indexing() {
    return indexing;
  }

  public Retention retention() {
    return retention;
  }

  /**
   * Formerly refused a retention shorter than the ledger lookback. No longer needed: cleanup
   * checkpoints every writer's last marker into the table config before it removes versions,
   * so the ledger never needs a removed version, and the lookback only bounds the walk above
   * the checkpoint. Accepts every value.
   *
   * @deprecated the ledger checkpoint makes any retention safe; this check does nothing
   */
  @Deprecated
  public void validateAgainstLookback(int lookback) {
    // intentionally empty: see the Javadoc
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OptimizePolicy p && enabled == p.enabled && (!enabled
        || (mode == p.mode && budget.equals(p.budget) && retryBackoff.equals(p.retryBackoff)
            && triggers.equals(p.triggers) && compaction.equals(p.compaction)
            && indexing.equals(p.indexing) && retention.equals(p.retention)));
  }

  @Override
  public int hashCode() {
    return enabled ? Objects.hash(mode, budget, retryBackoff, triggers, compaction, indexing,
        retention) : 0;
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "OptimizePolicy.never()";
    }
    return "OptimizePolicy{mode=" + mode + ", budget=" + budget + ", retryBackoff="
        + retryBackoff + ", " + triggers + ", " + compaction + ", " + indexing + ", " + retention
        + "}";
  }

  /**
   * Builds an {@link OptimizePolicy}. Setters reject bad values with {@link
   * IllegalArgumentException}; {@link #build()} rejects conflicts with {@link
   * IllegalStateException}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private MaintenanceMode mode = DEFAULT_MODE;
    private Duration budget = DEFAULT_BUDGET;
    private int everyCommits = DEFAULT_EVERY_COMMITS;
    private Duration interval = DEFAULT_INTERVAL;
    private int maxFragments = DEFAULT_MAX_FRAGMENTS;
    private long maxUnindexedRows = DEFAULT_MAX_UNINDEXED_ROWS;
    private double maxDeletedRatio = DEFAULT_MAX_DELETED_RATIO;
    private long targetRowsPerFragment = DEFAULT_TARGET_ROWS_PER_FRAGMENT;
    private long indexMinRows = DEFAULT_INDEX_MIN_ROWS;
    private VectorIndexType indexType = VectorIndexType.AUTO;
    private int indexPartitions;
    private int indexSubVectors;
    private DistanceMetric metric = DistanceMetric.L2;
    private int maxIndexDeltas = DEFAULT_MAX_INDEX_DELTAS;
    private int compactionFanIn = DEFAULT_COMPACTION_FAN_IN;
    private double retrainDrift = DEFAULT_RETRAIN_DRIFT;
    private Set<String> scalarIndexColumns = Set.of();
    private int retainVersions = DEFAULT_RETAIN_VERSIONS;
    private int maxVersionsPerCommit = DEFAULT_MAX_VERSIONS_PER_COMMIT;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;

    private Builder() {}

    private Builder(OptimizePolicy p) {
      mode = p.mode;
      budget = p.budget;
      retryBackoff = p.retryBackoff;
      Triggers t = p.triggers;
      everyCommits = t.everyCommits();
      interval = t.interval();
      maxFragments = t.maxFragments();
      maxUnindexedRows = t.maxUnindexedRows();
      maxDeletedRatio = t.maxDeletedRatio();
      targetRowsPerFragment = p.compaction.targetRowsPerFragment();
      compactionFanIn = p.compaction.fanIn();
      Indexing i = p.indexing;
      indexMinRows = i.minRows();
      indexType = i.type();
      indexPartitions = i.partitions();
      indexSubVectors = i.subVectors();
      metric = i.metric();
      maxIndexDeltas = i.maxDeltas();
      retrainDrift = i.retrainDrift();
      scalarIndexColumns = i.scalarColumns();
      retainVersions = p.retention.retainVersions();
      maxVersionsPerCommit = p.retention.maxVersionsPerCommit();
    }

    public Builder mode(MaintenanceMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Within [1 ms, 1 day]. */
    public Builder budget(Duration budget) {
      this.budget = Checks.duration("budget", budget, Duration.ofMillis(1), false);
      return this;
    }

    /** Within [0, 1000000]; 0 turns the trigger off. */
    public Builder everyCommits(int commits) {
      this.everyCommits = (int) Checks.range("everyCommits", commits, 0, 1_000_000);
      return this;
    }

    /** Within [0, 1 day]; zero turns the trigger off. */
    public Builder interval(Duration interval) {
      this.interval = Checks.duration("interval", interval, Duration.ZERO, true);
      return this;
    }

    /** Within [0, 1000000]; 0 turns the trigger off. */
    public Builder maxFragments(int fragments) {
      this.maxFragments = (int) Checks.range("maxFragments", fragments, 0, 1_000_000);
      return this;
    }

    /** Within [0, 10^12]; 0 turns the trigger off. */
    public Builder maxUnindexedRows(long rows) {
      this.maxUnindexedRows = Checks.range("maxUnindexedRows", rows, 0, 1_000_000_000_000L);
      return this;
    }

    /** Within [0, 1); 0 turns the trigger off. */
    public Builder maxDeletedRatio(double ratio) {
      if (!(ratio >= 0 && ratio < 1)) {
        throw new IllegalArgumentException("maxDeletedRatio must be within [0, 1), was " + ratio);
      }
      this.maxDeletedRatio = ratio;
      return this;
    }

    /** Within [1024, 10^9]. */
    public Builder targetRowsPerFragment(long rows) {
      this.targetRowsPerFragment =
          Checks.range("targetRowsPerFragment", rows, 1024, 1_000_000_000L);
      return this;
    }

    /** Within [2, 64]: fragments of one size tier merged at a time (see compactionFanIn()). */
    public Builder compactionFanIn(int fanIn) {
      this.compactionFanIn = (int) Checks.range("compactionFanIn", fanIn, 2, 64);
      return this;
    }

    /** Within [0, 10^12]; 0 never builds a vector index. Below 256 is refused (IVF training). */
    public Builder indexMinRows(long rows) {
      if (rows != 0) {
        Checks.range("indexMinRows", rows, 256, 1_000_000_000_000L);
      }
      this.indexMinRows = rows;
      return this;
    }

    public Builder indexType(VectorIndexType type) {
      this.indexType = Objects.requireNonNull(type, "indexType");
      return this;
    }

    /** Within [0, 65536]; 0 derives it from the row count (one per 4,096 rows). */
    public Builder indexPartitions(int partitions) {
      this.indexPartitions = (int) Checks.range("indexPartitions", partitions, 0, 65_536);
      return this;
    }

    /** Within [0, 4096]; 0 derives it from the dimension (dimension / 8). */
    public Builder indexSubVectors(int subVectors) {
      this.indexSubVectors = (int) Checks.range("indexSubVectors", subVectors, 0, 4096);
      return this;
    }

    public Builder metric(DistanceMetric metric) {
      this.metric = Objects.requireNonNull(metric, "metric");
      return this;
    }

    /** Within [0, 1000]; 0 merges every refresh into the main segment. */
    public Builder maxIndexDeltas(int deltas) {
      this.maxIndexDeltas = (int) Checks.range("maxIndexDeltas", deltas, 0, 1000);
      return this;
    }

    /** Within [0, 100]; 0 never retrains. */
    public Builder retrainDrift(double drift) {
      if (!(drift >= 0 && drift <= 100)) {
        throw new IllegalArgumentException("retrainDrift must be within [0, 100], was " + drift);
      }
      this.retrainDrift = drift;
      return this;
    }

    /** Non-blank column names that get a BTREE index. */
    public Builder scalarIndexColumns(Set<String> columns) {
      if (columns == null || columns.stream().anyMatch(c -> c == null || c.isBlank())) {
        throw new IllegalArgumentException(
            "scalarIndexColumns must be a set of non-blank column names, was " + columns);
      }
      this.scalarIndexColumns = Set.copyOf(columns);
      return this;
    }

    /** Within [1, 10^8]. */
    public Builder retainVersions(int versions) {
      this.retainVersions = (int) Checks.range("retainVersions", versions, 1, 100_000_000);
      return this;
    }

    /** Within [1, 100]. */
    public Builder maxVersionsPerCommit(int versions) {
      this.maxVersionsPerCommit = (int) Checks.range("maxVersionsPerCommit", versions, 1, 100);
      return this;
    }

    /** Within [0, 1 day]. */
    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = Checks.duration("retryBackoff", backoff, Duration.ZERO, true);
      return this;
    }

    /**
     * @throws IllegalStateException when no trigger is on, or explicit index parameters do not
     *     fit the index type or the row threshold
     */
    public OptimizePolicy build() {
      if (everyCommits == 0 && interval.isZero() && maxFragments == 0 && maxUnindexedRows == 0
          && maxDeletedRatio == 0 && indexMinRows == 0) {
        throw new IllegalStateException(
            "OptimizePolicy has every trigger off, so maintenance would never run; use"
                + " OptimizePolicy.never() to say so, or turn on a trigger");
      }
      if (indexSubVectors > 0
          && indexType != VectorIndexType.IVF_PQ && indexType != VectorIndexType.AUTO) {
        throw new IllegalStateException(
            "indexSubVectors=" + indexSubVectors + " applies to product quantization only, but"
                + " indexType is " + indexType + "; use IVF_PQ or AUTO, or leave it 0");
      }
      if (indexPartitions > 0 && indexMinRows > 0 && indexMinRows < indexPartitions) {
        throw new IllegalStateException(
            "indexPartitions=" + indexPartitions + " needs at least that many rows to train, but"
                + " indexMinRows is " + indexMinRows + "; raise indexMinRows");
      }
      return new OptimizePolicy(this, true);
    }
  }
}
