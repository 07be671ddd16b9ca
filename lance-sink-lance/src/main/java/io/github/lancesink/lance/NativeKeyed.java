package io.github.lancesink.lance;

import io.github.lancesink.internal.Errors;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.StagedFragments;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lance.Dataset;
import org.lance.FragmentMetadata;

/**
 * Keyed writes (upsert, change feed, replaceGroups) on a {@link NativeLanceTable}: the key index,
 * the prefetch of stored rows and the keyed commit. Every method holds the table's monitor, like
 * the table's own commits; the Lance work is in {@link NativeKeyedWrites}.
 */
final class NativeKeyed implements KeyedWrites, AutoCloseable {
  private final NativeLanceTable table;
  /** Lookups started by {@link #prefetchKeyed}, taken by the next keyed commit. */
  private NativeKeyedWrites.Prefetch prefetch;

  NativeKeyed(NativeLanceTable table) {
    this.table = table;
  }

  @Override
  public void ensureKeyIndex(List<String> keyColumns) {
    synchronized (table) {
      Dataset ds = table.refreshed();
      try {
        if (ds == null || !NativeKeyedWrites.keyIndexDue(ds, keyColumns)) {
          return;
        }
      } catch (Exception e) {
        throw table.classifyRead("ensureKeyIndex", e);
      }
      MetadataCommit.run(table, "ensureKeyIndex",
          latest -> NativeKeyedWrites.keyIndexDue(latest, keyColumns)
              ? Optional.empty() : Optional.of(Boolean.TRUE),
          latest -> {
            try (Dataset handle = table.openForCommit()) {
              NativeKeyedWrites.ensureKeyIndex(handle, keyColumns);
            }
            return Boolean.TRUE;
          });
    }
  }

  @Override
  public KeyedCommit commitKeyed(long readVersion, KeyedChange change,
      List<StagedFragments> staged, Map<String, String> properties) {
    synchronized (table) {
      Dataset ds = table.refreshed();
      if (ds == null) {
        throw Errors.port("commit", table.displayUri(),
            new IllegalStateException("dataset does not exist"));
      }
      List<FragmentMetadata> fragments = LanceStagedFragments.unwrap(staged);
      try {
        NativeKeyedWrites.Prefetch ahead = prefetch;
        prefetch = null;
        return NativeKeyedWrites.commit(ds, readVersion, change, fragments, properties,
            table::commitBuilder, ahead);
      } catch (Exception e) {
        throw table.classifyCommit(readVersion, e);
      }
    }
  }

  @Override
  public void prefetchKeyed(KeyedChange change) {
    synchronized (table) {
      close();
      Dataset ds = table.refreshed();
      if (ds == null || change.removesNothing()) {
        return;
      }
      try {
        prefetch = NativeKeyedWrites.prefetch(ds, change);
      } catch (Exception e) {
        prefetch = null; // only a hint: the commit looks the keys up itself
      }
    }
  }

  /** Discards a prefetch no commit took. */
  @Override
  public void close() {
    synchronized (table) {
      if (prefetch != null) {
        prefetch.close();
        prefetch = null;
      }
    }
  }
}
