package io.github.lancesink.spi;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * The maintenance capability of a {@link LanceTable} ({@link LanceTable#maintenance()}): what
 * the optimize policy reads (stats, indices) and runs (compaction, index builds and refreshes,
 * version cleanup). Same failure contract as the base port: only {@link
 * io.github.lancesink.LanceSinkException} subclasses, messages without credentials. A failed or
 * conflicting action never fails a batch; the sink reports it and retries it on its own schedule.
 *
 * @since 0.1.0
 */
public interface TableMaintenance {

  /**
   * A snapshot of the table's shape at the latest version, or {@link TableStats#absent()} when
   * the dataset does not exist.
   */
  TableStats stats();

  /** The table's indices, or an empty list when there are none or the table is absent. */
  List<IndexState> indices();

  /**
   * Compacts small fragments into fragments of about {@code targetRowsPerFragment} rows and
   * rewrites fragments whose deleted fraction exceeds {@code deletedRatio}. Creates at most two
   * versions (Lance reserves fragment ids, then rewrites); a no-op when nothing qualifies.
   *
   * @throws io.github.lancesink.CommitConflictException when a concurrent commit conflicted
   */
  void compact(long targetRowsPerFragment, double deletedRatio);

  /**
   * Merges exactly the adjacent fragments {@code fragmentIds} (as {@link TableStats#fragmentIds()}
   * reports them) into one fragment, in one Rewrite commit; other fragments are untouched.
   *
   * @throws io.github.lancesink.CommitConflictException when a concurrent commit rewrote one of
   *     them
   */
  void mergeFragments(List<Long> fragmentIds);

  /** Creates {@code spec}'s index, replacing an index of the same name (one version). */
  void createIndex(IndexSpec spec);

  /**
   * Like {@link #createIndex(IndexSpec)}, but tells {@code readsFragmentsUpTo} the largest
   * fragment id the build reads as soon as it has opened the table, before the long part of the
   * build. Fragments with a larger id (appended or rewritten later) may be merged while the build
   * runs without making it conflict; rewriting a fragment it reads makes its commit fail. The
   * default reports {@link Long#MAX_VALUE} (everything is read), then builds.
   */
  default void createIndex(IndexSpec spec, LongConsumer readsFragmentsUpTo) {
    readsFragmentsUpTo.accept(Long.MAX_VALUE);
    createIndex(spec);
  }

  /**
   * Removes the index {@code name} (one version). Used to retire the previous vector index once
   * a retrained one, built under another name, has landed.
   */
  void dropIndex(String name);

  /**
   * Folds rows not yet indexed into every index (one version). {@code mergeDeltas} = 0 adds a
   * delta segment; n merges the newest n segments and the new rows into one.
   */
  void optimizeIndices(int mergeDeltas);

  /**
   * Removes versions older than {@code keepFromVersion} and files only they referenced. Creates
   * no version.
   *
   * @return how many versions were removed
   */
  long cleanupVersions(long keepFromVersion);
}
