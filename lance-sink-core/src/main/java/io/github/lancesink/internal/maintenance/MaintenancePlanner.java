package io.github.lancesink.internal.maintenance;

import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides WHEN maintenance is due: evaluates the {@link OptimizePolicy} triggers against the
 * table's shape after a commit and returns the intents. Keeps the small state triggers need
 * (commits since the last run, when it ran, rows the vector index was trained on, failures and
 * their backoff). Thread-safe.
 */
public final class MaintenancePlanner {
  private final OptimizePolicy policy;
  private final OptimizePolicy.Triggers when;
  private final OptimizePolicy.Compaction compaction;
  private final OptimizePolicy.Indexing indexing;
  private final OptimizePolicy.Retention retention;
  private final Optional<String> vectorColumn;
  private final int dimension;
  private final Set<String> scalarColumns;
  private final Map<MaintenanceAction, Instant> notBefore = new EnumMap<>(MaintenanceAction.class);
  private final Map<MaintenanceAction, Integer> failures = new EnumMap<>(MaintenanceAction.class);
  private int commitsSinceRun;
  private Instant lastRun;
  private long trainedRows = -1; // -1 = unknown (no index seen yet)
  private boolean pending;
  private long cleanedTo = 1; // versions below this were removed by our last cleanup
  private String currentIndex; // the vector index the baseline belongs to, when known

  public MaintenancePlanner(OptimizePolicy policy, Optional<String> vectorColumn, int dimension,
      Set<String> keyColumns, Instant start) {
    this.policy = policy;
    this.when = policy.triggers();
    this.compaction = policy.compaction();
    this.indexing = policy.indexing();
    this.retention = policy.retention();
    this.vectorColumn = vectorColumn;
    this.dimension = dimension;
    Set<String> scalars = new TreeSet<>(indexing.scalarColumns());
    scalars.addAll(keyColumns);
    this.scalarColumns = Set.copyOf(scalars);
    this.lastRun = start;
  }

  /** Counts a data commit (maintenance commits are never counted). */
  public synchronized void commitObserved() {
    commitsSinceRun++;
  }

  /**
   * Called right before the table's stats are read for a plan: the commits observed so far are
   * the ones those stats include (a commit is observed after it landed). The commit trigger of
   * that plan counts only these, and a run started from it consumes only these, so a commit
   * observed while the stats were being read is not consumed by a plan that could not see it.
   */
  public synchronized void statsReadStarting() {
    commitsAtRead = commitsSinceRun;
  }

  private int commitsAtRead = -1; // -1: no read in progress (triggers use the live count)

  /** The triggers that fire now, in a stable order; empty when nothing is due. */
  public synchronized List<MaintenanceTrigger> triggers(
      Instant now, TableStats stats, List<IndexState> indices) {
    List<MaintenanceTrigger> t = new ArrayList<>();
    if (!policy.enabled()) {
      return t;
    }
    int commits = commitsAtRead >= 0 ? commitsAtRead : commitsSinceRun;
    if (when.everyCommits() > 0 && commits >= when.everyCommits()) {
      t.add(MaintenanceTrigger.COMMITS);
    }
    if (!when.interval().isZero()
        && Duration.between(lastRun, now).compareTo(when.interval()) >= 0) {
      t.add(MaintenanceTrigger.INTERVAL);
    }
    if (when.maxFragments() > 0 && stats.fragments() > when.maxFragments()) {
      t.add(MaintenanceTrigger.FRAGMENTS);
    }
    Optional<IndexState> vector = vector(indices);
    if (when.maxUnindexedRows() > 0 && vector.isPresent()
        && stats.unindexedRows() > when.maxUnindexedRows()) {
      t.add(MaintenanceTrigger.UNINDEXED_ROWS);
    }
    if (when.maxDeletedRatio() > 0 && deletedRatio(stats) > when.maxDeletedRatio()) {
      t.add(MaintenanceTrigger.DELETED_RATIO);
    }
    if (vector.isEmpty() && indexDue(stats)) {
      t.add(MaintenanceTrigger.INDEX_THRESHOLD);
    }
    if (pending || failures.keySet().stream().anyMatch(a -> !notBefore.get(a).isAfter(now))) {
      t.add(MaintenanceTrigger.PENDING);
    }
    return t;
  }

  /**
   * Restores the drift baseline a build or retrain wrote to table config (called once, before
   * the first plan after a start): drift then counts from the rows the index was trained on, not
   * from the rows it covers after the restart.
   */
  public synchronized void restoreBaseline(String indexName, long rows) {
    if (trainedRows < 0 && rows > 0) {
      trainedRows = rows;
      currentIndex = indexName;
    }
  }

  /** The intents due now: empty unless a trigger fired; actions in backoff are left out. */
  public synchronized MaintenanceIntent.Plan plan(
      Instant now, TableStats stats, List<IndexState> indices) {
    return plan(now, stats, indices, Lanes.NONE);
  }

  /** Like {@link #plan(Instant, TableStats, List)} for the cheap lane beside the slow one. */
  public synchronized MaintenanceIntent.Plan plan(
      Instant now, TableStats stats, List<IndexState> indices, Lanes lanes) {
    if (lanes.stall()) {
      return stallPlan(now, stats, indices, lanes);
    }
    List<MaintenanceTrigger> triggers = new ArrayList<>(triggers(now, stats, indices));
    if (triggers.isEmpty()) {
      commitsAtRead = -1;
      return MaintenanceIntent.Plan.none();
    }
    List<MaintenanceIntent> intents = new ArrayList<>();
    Optional<IndexState> vector = vector(indices);
    for (IndexState stale : vectors(indices)) {
      if (vector.isPresent() && !stale.name().equals(vector.get().name()) && !lanes.slowBusy()) {
        // a retrain stopped between its commit and the drop of the index it replaced
        add(intents, now, new MaintenanceIntent.DropIndex(stale.name()));
      }
    }
    if (vector.isPresent() && trainedRows < 0) {
      trainedRows = vector.get().indexedRows(); // no baseline in config: count from here
      currentIndex = vector.get().name();
    }
    // a stall over unindexed rows needs a refresh, not a full compaction of every small fragment
    boolean urgent = triggers.contains(MaintenanceTrigger.FRAGMENTS);
    // with a vector index, the size tiers count only indexed fragments and the unindexed tail
    // has its own merge (unindexed rows are counted against the vector index: with only scalar
    // indices every row would look unindexed, and the whole table would be one growing tail)
    int tail = vector.isEmpty() ? 0 : SizeTiers.unindexedTail(stats);
    if (lanes.frozen()) {
      // before the first index every fragment is unindexed: all of them are the tail
      int unindexed = vector.isEmpty() ? (int) stats.fragments() : tail;
      List<Long> ids = FrozenMerge.ids(stats, lanes.readFloor(), fanIn(), unindexed, urgent);
      if (!ids.isEmpty()) {
        add(intents, now, new MaintenanceIntent.MergeFragments(ids));
      }
    } else {
      long compactTo = compactionTarget(stats, urgent, tail);
      List<Long> ids = stats.fragmentIds();
      if (vector.isPresent() && tail >= 2 && ids.size() == stats.fragments()) {
        // the whole tail as one explicit group, whatever the indexed fragments before it look
        // like: a Lance-planned target had to stay below any two adjacent small indexed
        // fragments, so small indexed fragments blocked the tail merge, and each refresh then
        // indexed the unmerged tail as more small indexed fragments (the benchmark saw 40 of
        // them, each later compacted with an index remap)
        add(intents, now, new MaintenanceIntent.MergeFragments(
            ids.subList(ids.size() - tail, ids.size())));
      } else if (vector.isPresent()) {
        compactTo = Math.max(compactTo, unindexedTailTarget(stats)); // the port reports no ids
      }
      if (compactTo > 0) {
        add(intents, now, new MaintenanceIntent.Compact(compactTo));
      }
    }
    boolean replaced = false;
    if (lanes.slowBusy()) {
      // the slow lane is building: no second build, the cheap work below goes on
    } else if (vectorColumn.isPresent() && vector.isEmpty() && indexDue(stats)) {
      replaced = add(intents, now, new MaintenanceIntent.BuildIndex(
          vectorSpec(stats.rows(), vectorColumn.get() + "_idx"), stats.rows()));
    } else if (vector.isPresent() && indexing.retrainDrift() > 0 && trainedRows > 0
        && (stats.rows() - trainedRows) > indexing.retrainDrift() * trainedRows) {
      // under the other name, so refreshes of the current index go on while it builds (two
      // CreateIndex commits of one name conflict: the retrain would lose to every refresh)
      String current = vector.get().name();
      String base = vectorColumn.get() + "_idx";
      replaced = add(intents, now, new MaintenanceIntent.BuildIndex(
          vectorSpec(stats.rows(), current.equals(base) ? base + "_b" : base), stats.rows(),
          current));
    }
    Set<String> indexed = new TreeSet<>();
    indices.forEach(i -> indexed.add(i.column()));
    if (stats.rows() > 0) {
      for (String c : scalarColumns) {
        if (!indexed.contains(c)) {
          add(intents, now, new MaintenanceIntent.ScalarIndex(IndexSpec.scalar(c, c + "_idx")));
        }
      }
    }
    boolean anyIndex = !indices.isEmpty();
    int deltas = vector.map(IndexState::deltas).orElse(0);
    if (anyIndex && !(replaced && indices.size() == 1)
        && (refreshDue(stats, vector.isPresent(), triggers) || deltas > indexing.maxDeltas())) {
      // a new delta segment per refresh, beside a build too: the tail is merged into one
      // fragment before it is indexed, so a refresh adds one indexed fragment, and the merges
      // beside a build stay cheap. (Refreshing into the newest delta there, to keep the
      // fragments after the build's floor in one segment, rewrote that growing delta every time:
      // 0.9-2.4 s per refresh in the benchmark, with writes stalled behind it.)
      add(intents, now, refresh(deltas));
    }
    long keepFrom = stats.version() - retention.retainVersions() + 1;
    if (keepFrom > 1 && keepFrom - cleanedTo >= cleanupStep()) {
      add(intents, now, new MaintenanceIntent.Cleanup(keepFrom));
    }
    return new MaintenanceIntent.Plan(triggers, intents);
  }

  /**
   * The plan of a stalled writer: only what takes the table back under the bound it crossed, as
   * cheaply as possible, so the writer is held for one small action and not a whole cycle (the
   * rest stays with the background lane). Over the fragment bound: merge the unindexed tail
   * (no index remap; 11-50 ms in the benchmark), beside a build only fragments after its read
   * floor; when the tail is not where the fragments are (fewer than two tail fragments, or no
   * vector index yet, when no fragment is indexed and compaction remaps nothing), compact every
   * small fragment. Over the unindexed-row bound: refresh. The commit and interval counters are
   * not consumed: the background lane still runs its full cycle.
   */
  private MaintenanceIntent.Plan stallPlan(
      Instant now, TableStats stats, List<IndexState> indices, Lanes lanes) {
    commitsAtRead = -1;
    List<MaintenanceIntent> intents = new ArrayList<>();
    Optional<IndexState> vector = vector(indices);
    int tail = vector.isEmpty() ? 0 : SizeTiers.unindexedTail(stats);
    List<Long> ids = stats.fragmentIds();
    boolean haveIds = !ids.isEmpty() && ids.size() == stats.fragments();
    if (when.maxFragments() > 0 && stats.fragments() >= Math.max(2, when.maxFragments() * 3L / 4)) {
      if (lanes.frozen()) {
        int unindexed = vector.isEmpty() ? (int) stats.fragments() : tail;
        List<Long> after = FrozenMerge.tailAfterFloor(stats, lanes.readFloor(), unindexed);
        // the unindexed tail after the build's floor first (no remap); indexed ones only when
        // the tail has nothing to merge
        List<Long> merge = after.size() >= 2 ? after
            : FrozenMerge.ids(stats, lanes.readFloor(), fanIn(), unindexed, true);
        if (!merge.isEmpty()) {
          add(intents, now, new MaintenanceIntent.MergeFragments(merge));
        }
      } else if (tail >= 2 && haveIds) {
        add(intents, now, new MaintenanceIntent.MergeFragments(
            ids.subList(ids.size() - tail, ids.size())));
      } else {
        long compactTo = compactionTarget(stats, true, 0);
        if (compactTo > 0) {
          add(intents, now, new MaintenanceIntent.Compact(compactTo));
        }
      }
    }
    if (vector.isPresent() && when.maxUnindexedRows() > 0
        && stats.unindexedRows() > when.maxUnindexedRows() * 3 / 2) {
      add(intents, now, refresh(vector.get().deltas()));
    }
    return new MaintenanceIntent.Plan(List.of(MaintenanceTrigger.STALL), intents);
  }

  /** A refresh into a new delta, or merging every segment once there are too many. */
  private MaintenanceIntent.OptimizeIndices refresh(int deltas) {
    int merge = deltas + 1 > indexing.maxDeltas() ? deltas + 1 : 0;
    return new MaintenanceIntent.OptimizeIndices(merge);
  }

  /**
   * Whether this run folds the unindexed rows into the indices. Once a vector index exists, rows
   * are indexed in batches, as an LSM tree flushes its memtable: only when more than {@code
   * maxUnindexedRows} are unindexed, or when the interval trigger fired (a quiet table is fully
   * indexed within {@code interval}). Unindexed rows are still found, by an exact flat scan, so
   * this trades a little query time for far less maintenance: refreshing after every few
   * commits made an indexed fragment of every few batches, and each one then had to be compacted
   * with an index remap, whose cost follows the index segment, not the fragment (the benchmark
   * spent 86 s compacting and 85 s refreshing to write 2M rows that took 70 s to write). Until
   * the tail is indexed it is merged on its own, cheaply (no remap). Without a vector index, or
   * with {@code maxUnindexedRows} 0, every run refreshes.
   */
  private boolean refreshDue(TableStats stats, boolean vectorIndex,
      List<MaintenanceTrigger> triggers) {
    if (stats.unindexedRows() <= 0) {
      return false;
    }
    return !vectorIndex || when.maxUnindexedRows() == 0
        || stats.unindexedRows() > when.maxUnindexedRows()
        || triggers.contains(MaintenanceTrigger.INTERVAL);
  }

  /**
   * The row target of this run's compaction, or 0 for none. Lance rewrites every fragment with
   * fewer rows than the target, so compacting towards the full {@code targetRowsPerFragment}
   * every run would rewrite the growing tail fragment again and again (quadratic in the rows
   * between full fragments). Instead compaction is size-tiered: fragments are grouped by size
   * in tiers a factor {@link #fanIn()} apart, and once one tier holds {@code fanIn} fragments
   * it is merged (with any smaller ones) with a target equal to their total rows, which leaves
   * every larger fragment untouched. A row is therefore rewritten about once per tier (three to
   * four times on its way from a 2k-row batch to a 1M-row fragment). Counting smaller tiers
   * together instead swept a growing fragment of the next tier into every merge (seen in the
   * benchmark as merges of 210k, 230k, 248k ... 582k rows, each rewriting the previous one).
   * Too many fragments in total, or too many deleted rows, still merge everything small towards
   * the full target. The last {@code tail} fragments (the unindexed tail, merged on its own) are
   * left out of the size tiers, so that a tier of indexed fragments is only merged once it is
   * full, not whenever ten new batch fragments make the smallest tier look full.
   */
  long compactionTarget(TableStats stats, boolean overFragmentLimit, int tail) {
    long full = compaction.targetRowsPerFragment();
    boolean deletes = when.maxDeletedRatio() > 0
        && deletedRatio(stats) > when.maxDeletedRatio();
    List<Long> sizes = stats.fragmentRows();
    if (sizes.isEmpty() || sizes.size() != stats.fragments()) {
      long ideal = (stats.rows() + full - 1) / full; // the port reports no sizes
      return stats.fragments() >= ideal + 2 || deletes ? full : 0;
    }
    long small = sizes.stream().filter(n -> n < full).count();
    if (deletes || (overFragmentLimit && small >= 2)) {
      return full;
    }
    return SizeTiers.tieredTarget(sizes.subList(0, sizes.size() - tail), full, fanIn());
  }

  /**
   * The row target that merges the unindexed tail (the newest fragments, not yet covered by an
   * index) into one fragment before this run indexes it, or 0. Compacting a fragment an index
   * covers makes Lance remap that index in the same commit, which rewrites the index segment
   * (measured: 10 indexed 2k-row fragments in a 1M-row table took 120 to 170 ms to compact, the
   * same fragments unindexed 15 ms); compacting the tail first means the index never covers
   * the small batch fragments at all. Lance never bins fragments with different index coverage
   * together, so the indexed fragments before the tail are left alone. The tail is recognised
   * as the shortest suffix of the fragment list whose rows add up to exactly the unindexed rows;
   * when they do not (deletes in the tail, or a port without sizes) nothing is targeted. The
   * target is kept low enough that no two adjacent indexed fragments fall below it.
   */
  long unindexedTailTarget(TableStats stats) {
    int count = SizeTiers.unindexedTail(stats);
    if (count < 2) {
      return 0;
    }
    List<Long> sizes = stats.fragmentRows();
    long sum = stats.unindexedRows();
    int first = sizes.size() - count;
    long largestInTail = 0;
    for (int i = first; i < sizes.size(); i++) {
      largestInTail = Math.max(largestInTail, sizes.get(i));
    }
    // Lance rewrites every run of two or more adjacent fragments below the target, indexed or
    // not; lower the target until no two adjacent indexed fragments are both below it, so this
    // merge never sweeps indexed fragments along (that is the size tiers' job)
    long target = Math.min(compaction.targetRowsPerFragment(), sum);
    for (int i = 0; i + 1 < first; i++) {
      if (sizes.get(i) < target && sizes.get(i + 1) < target) {
        target = Math.max(sizes.get(i), sizes.get(i + 1));
      }
    }
    return target > largestInTail ? target : 0;
  }

  private int fanIn() {
    return compaction.fanIn();
  }

  private boolean add(List<MaintenanceIntent> intents, Instant now, MaintenanceIntent intent) {
    Instant after = notBefore.get(intent.action());
    if (after != null && after.isAfter(now)) {
      return false;
    }
    intents.add(intent);
    return true;
  }

  /** A run started: the commit and interval counters restart. */
  public synchronized void runStarted(Instant now) {
    commitsSinceRun = commitsAtRead >= 0 ? Math.max(0, commitsSinceRun - commitsAtRead) : 0;
    commitsAtRead = -1;
    lastRun = now;
    pending = false;
  }

  /** Some intents were left for later (budget or version bound). */
  public synchronized void deferred() {
    pending = true;
  }

  public synchronized void succeeded(MaintenanceIntent intent) {
    failures.remove(intent.action());
    notBefore.remove(intent.action());
    if (intent instanceof MaintenanceIntent.Cleanup c) {
      cleanedTo = c.keepFrom();
    } else if (intent instanceof MaintenanceIntent.BuildIndex b) {
      trainedRows = b.trainedRows();
      currentIndex = b.spec().name();
    }
  }


  /** Records a failure; the action is retried after the backoff (doubling, at most 32x). */
  public synchronized Instant failed(MaintenanceIntent intent, Instant now) {
    int n = failures.merge(intent.action(), 1, Integer::sum);
    Instant at = now.plus(ActionBackoff.delay(policy.retryBackoff(), n));
    notBefore.put(intent.action(), at);
    return at;
  }

  /** Rows the vector index was last trained on, or -1 when unknown. */
  public synchronized long trainedRows() {
    return trainedRows;
  }

  /**
   * Cleanup lists and deletes files, so it runs once a tenth of the retention (at least one
   * version) has become removable, not after every commit. Decided from version numbers, so
   * planning never lists versions.
   */
  private long cleanupStep() {
    return Math.max(1, retention.retainVersions() / 10);
  }

  private boolean indexDue(TableStats stats) {
    return vectorColumn.isPresent() && indexing.minRows() > 0
        && stats.rows() >= indexing.minRows();
  }

  /**
   * The current vector index: the one the baseline belongs to when two exist (a retrain stopped
   * before it dropped the old one), else the one covering more rows.
   */
  private Optional<IndexState> vector(List<IndexState> indices) {
    List<IndexState> all = vectors(indices);
    return all.stream().filter(i -> i.name().equals(currentIndex)).findFirst()
        .or(() -> all.stream().max(java.util.Comparator.comparingLong(IndexState::indexedRows)));
  }

  private static List<IndexState> vectors(List<IndexState> indices) {
    return indices.stream().filter(i -> i.kind() == IndexState.Kind.VECTOR).toList();
  }

  private static double deletedRatio(TableStats s) {
    long all = s.rows() + s.deletedRows();
    return all <= 0 ? 0 : (double) s.deletedRows() / all;
  }

  /** The vector index for {@code rows} rows: the policy's parameters, or derived ones. */
  IndexSpec vectorSpec(long rows) {
    return vectorSpec(rows, vectorColumn.orElseThrow() + "_idx");
  }

  IndexSpec vectorSpec(long rows, String name) {
    VectorIndexType type = indexing.type();
    if (type == VectorIndexType.AUTO) {
      type = VectorIndexType.IVF_SQ;
    }
    int partitions = indexing.partitions() > 0 ? indexing.partitions()
        : IndexSizing.derivedPartitions(rows, type);
    int subVectors = indexing.subVectors() > 0 ? indexing.subVectors()
        : Math.max(1, dimension / 8);
    if (type == VectorIndexType.IVF_PQ && dimension % subVectors != 0) {
      throw new IllegalStateException("indexSubVectors=" + subVectors + " does not divide the"
          + " vector dimension " + dimension + "; choose a divisor or leave it 0");
    }
    return new IndexSpec(vectorColumn.orElseThrow(), name,
        IndexState.Kind.VECTOR, type, partitions, subVectors, indexing.metric());
  }
}
