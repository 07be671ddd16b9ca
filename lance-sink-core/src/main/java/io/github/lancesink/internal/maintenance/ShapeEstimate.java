package io.github.lancesink.internal.maintenance;

import io.github.lancesink.spi.TableStats;

/**
 * An upper bound on the table's fragments and unindexed rows after the next commit, without
 * reading the table on the writing thread: the shape the cheap lane last read, plus everything
 * data commits added since. The commit counters are marked before the read, so a commit that
 * lands during the read is counted twice, never missed; maintenance only lowers both numbers
 * (a retrain's swap refreshes the new index before the old one goes). Thread-safe.
 */
final class ShapeEstimate {
  private long committedFragments;
  private long committedRows;
  private long mark = -1;
  private long markRows;
  private boolean known;
  private long baseFragments;
  private long baseUnindexed;
  private long baseFragmentsMark;
  private long baseRowsMark;
  private boolean indexed;

  /** A data commit added {@code fragments} fragments holding {@code rows} rows. */
  synchronized void committed(int fragments, long rows) {
    committedFragments += fragments;
    committedRows += rows;
  }

  /** Called right before the table's shape is read. */
  synchronized void beforeRead() {
    mark = committedFragments;
    markRows = committedRows;
  }

  /** The shape read after {@link #beforeRead()}; {@code indexed} = a vector index exists. */
  synchronized void read(TableStats s, boolean indexed) {
    if (mark < 0) {
      return; // not marked: cannot tell which commits it includes
    }
    known = true;
    baseFragments = s.fragments();
    baseUnindexed = s.unindexedRows();
    baseFragmentsMark = mark;
    baseRowsMark = markRows;
    this.indexed = indexed;
    mark = -1;
  }

  /** Whether a shape was ever read (before that, nothing is estimated). */
  synchronized boolean known() {
    return known;
  }

  synchronized boolean indexed() {
    return indexed;
  }

  /** Fragments after a commit of {@code fragments} more. */
  synchronized long fragmentsAfter(int fragments) {
    return baseFragments + (committedFragments - baseFragmentsMark) + fragments;
  }

  /** Unindexed rows after a commit of {@code rows} more. */
  synchronized long unindexedAfter(long rows) {
    return baseUnindexed + (committedRows - baseRowsMark) + rows;
  }
}
