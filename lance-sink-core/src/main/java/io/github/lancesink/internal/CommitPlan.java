package io.github.lancesink.internal;

import io.github.lancesink.WriteMode;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import java.util.List;
import java.util.Map;

/**
 * How one attempt commits a staged batch with its marker. The protocol (ledger, retries,
 * reconciliation) is shared; only this step differs between append and the keyed modes.
 */
interface CommitPlan {

  /** What an attempt committed. */
  record Outcome(long version, long deletedRows, long absentDeletes) {}

  /** Runs once per batch before the commit loop (e.g. keeps the key index current). */
  void prepare(LanceTable table);

  /** Commits {@code staged} and {@code marker} in one version based on {@code readVersion}. */
  Outcome commit(
      LanceTable table, long readVersion, BatchSource.Staged staged, Map<String, String> marker);

  static CommitPlan of(WriteMode mode) {
    return mode.kind() == WriteMode.Kind.APPEND ? new AppendPlan() : new KeyedPlan(mode.keys());
  }

  /** Appends the fragments. */
  final class AppendPlan implements CommitPlan {
    @Override
    public void prepare(LanceTable table) {}

    @Override
    public Outcome commit(
        LanceTable table, long readVersion, BatchSource.Staged staged, Map<String, String> m) {
      return new Outcome(table.commitAppend(readVersion, staged.fragments(), m), 0, 0);
    }
  }

  /**
   * Removes the stored rows of the batch's keys and adds its rows in one commit; the rows to
   * remove are looked up again at every attempt's read version.
   */
  final class KeyedPlan implements CommitPlan {
    private final List<String> keys;

    KeyedPlan(List<String> keys) {
      this.keys = keys;
    }

    @Override
    public void prepare(LanceTable table) {
      keyed(table).ensureKeyIndex(keys);
    }

    @Override
    public Outcome commit(
        LanceTable table, long readVersion, BatchSource.Staged staged, Map<String, String> m) {
      KeyedChange c = staged.change().orElseThrow(() -> new IllegalStateException(
          "a keyed write mode needs a source that reports its keys (BatchSource.Staged.change)"));
      KeyedCommit done = keyed(table).commitKeyed(readVersion, c, staged.fragments(), m);
      return new Outcome(done.version(), done.removedRows(), done.absentDeletes());
    }

    /** The port's keyed writes; {@code LanceSink.Builder.build()} has checked they exist. */
    private static KeyedWrites keyed(LanceTable table) {
      return table.keyedWrites().orElseThrow(() -> new IllegalStateException(
          Capabilities.missing(table, "keyed writes", "keyedWrites()")));
    }
  }
}
