package io.github.lancesink.spi;

import java.util.List;
import java.util.Map;

/**
 * The keyed-write capability of a {@link LanceTable} ({@link LanceTable#keyedWrites()}), used by
 * the {@code upsert}, {@code cdc} and {@code replaceGroups} write modes: replace the stored rows
 * of a batch's keys and add its rows in one atomic commit. Same failure contract as the base
 * port.
 *
 * @since 0.1.0
 */
public interface KeyedWrites {

  /**
   * Makes key lookups on {@code keyColumns} cheap: creates a scalar (BTREE) index on each column
   * unless one exists, and folds rows written since into it when it has fallen behind. May
   * commit index versions (without transaction properties). Idempotent; call before {@link
   * #commitKeyed}.
   */
  void ensureKeyIndex(List<String> keyColumns);

  /**
   * A hint that a keyed batch with {@code change} is being staged and will be committed soon:
   * an adapter may start looking up the stored rows of its keys now, at its current version,
   * and use the result in {@link #commitKeyed} if that commit reads the same version. The
   * default does nothing.
   */
  default void prefetchKeyed(KeyedChange change) {}

  /**
   * Commits one version that removes every live row of {@code readVersion} whose key is in
   * {@code change} (as deletion vectors) and adds {@code fragments}, with {@code properties} as
   * its transaction properties, all in the same atomic commit. Readers see either the old or
   * the new rows of a key, never both or neither. The rows to remove are looked up at {@code
   * readVersion}; on {@link io.github.lancesink.CommitConflictException} nothing landed and the
   * caller retries with a fresh read version, so the lookup is recomputed (a concurrent
   * compaction may have renumbered fragments). The port records the counts it returns in the
   * same commit ({@link KeyedCommit#withCounts}), so they can be read back after a lost reply.
   *
   * @param readVersion the version the rows to remove are looked up in
   * @return the new version and what it removed
   */
  KeyedCommit commitKeyed(long readVersion, KeyedChange change, List<StagedFragments> fragments,
      Map<String, String> properties);
}
