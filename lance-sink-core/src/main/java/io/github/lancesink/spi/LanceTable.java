package io.github.lancesink.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The one narrow port through which lance-sink reaches a Lance table. The real adapter wraps
 * {@code org.lance.Dataset}; the testkit's {@code InMemoryLanceTable} implements the same port
 * and the testkit's {@code LanceTableContract} proves both behave alike.
 *
 * <p>Failure contract: every method throws only {@link io.github.lancesink.LanceSinkException}
 * subclasses. {@link io.github.lancesink.CommitConflictException} and {@link
 * io.github.lancesink.RetryableException} mean nothing landed; {@link
 * io.github.lancesink.CommitStateUnknownException} means a commit may have landed; {@link
 * io.github.lancesink.TableOperationException} is fatal. Messages name the operation and the
 * {@linkplain #displayUri() redacted URI}, never credentials.
 *
 * <p>Methods added after 0.1.0 are {@code default} methods that throw {@link
 * UnsupportedOperationException} naming the alternative.
 *
 * @since 0.1.0
 */
public interface LanceTable extends AutoCloseable {

  /** The table URI with any credentials or query string removed; safe for logs. */
  String displayUri();

  /**
   * The latest committed version, read from storage (not a cached value), or empty when the
   * dataset does not exist yet.
   */
  OptionalLong latestVersion();

  /** The Arrow schema of the latest version, or empty when the dataset does not exist yet. */
  Optional<Schema> schema();

  /**
   * Creates an empty dataset with {@code schema} unless one exists. Safe under races: exactly
   * one creator wins and every caller returns normally afterwards.
   *
   * @return true when this call created the dataset
   */
  boolean createIfAbsent(Schema schema);

  /**
   * Writes {@code data} as new, uncommitted fragments. Nothing becomes visible to readers until
   * a commit references them; fragments never committed are orphans that version cleanup
   * removes. The reader may have been built on any allocator.
   */
  StagedFragments writeFragments(ArrowReader data);

  /**
   * Writes one record batch as new, uncommitted fragments, like {@link
   * #writeFragments(ArrowReader)}. Lance writes a single batch handed over as a root cheaper
   * than the same batch behind a stream, so the sink uses this for a reader's first batch. The
   * default wraps the batch in a one-batch reader.
   *
   * @since 0.1.0
   */
  default StagedFragments writeFragments(org.apache.arrow.vector.VectorSchemaRoot batch) {
    java.util.Objects.requireNonNull(batch, "batch");
    org.apache.arrow.vector.FieldVector first = batch.getFieldVectors().get(0);
    ArrowReader one = new ArrowReader(first.getAllocator()) {
      private boolean done;

      @Override
      public org.apache.arrow.vector.VectorSchemaRoot getVectorSchemaRoot() {
        return batch;
      }

      @Override
      public boolean loadNextBatch() {
        boolean next = !done;
        done = true;
        return next;
      }

      @Override
      public long bytesRead() {
        return 0;
      }

      @Override
      protected void closeReadSource() {}

      @Override
      protected Schema readSchema() {
        return batch.getSchema();
      }

      @Override
      public void close() {} // the caller owns the batch
    };
    return writeFragments(one);
  }

  /**
   * Commits {@code fragments} as one Append version whose transaction properties are {@code
   * properties}, in the same atomic commit.
   *
   * @param readVersion the version the caller based its decision on
   * @return the new version
   */
  long commitAppend(long readVersion, List<StagedFragments> fragments, Map<String, String> properties);

  /**
   * Makes key lookups on {@code keyColumns} cheap: creates a scalar (BTREE) index on each column
   * unless one exists, and folds rows written since into it when it has fallen behind. May
   * commit index versions (without transaction properties). Idempotent; call before {@link
   * #commitKeyed}.
   *
   * @since 0.1.0
   */
  default void ensureKeyIndex(List<String> keyColumns) {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not support keyed writes; use WriteMode.append()");
  }

  /**
   * A hint that a keyed batch with {@code change} is being staged and will be committed soon:
   * an adapter may start looking up the stored rows of its keys now, at its current version,
   * and use the result in {@link #commitKeyed} if that commit reads the same version. The
   * default does nothing.
   *
   * @since 0.1.0
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
   * @since 0.1.0
   */
  default KeyedCommit commitKeyed(
      long readVersion,
      KeyedChange change,
      List<StagedFragments> fragments,
      Map<String, String> properties) {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not support keyed writes (upsert, cdc, replaceGroups);"
            + " use WriteMode.append() and commitAppend");
  }

  /**
   * The transaction properties stored with {@code version}. Versions written by compaction or
   * other tools report {@link VersionProperties.Kind#NONE}; a version removed by cleanup reports
   * {@link VersionProperties.Kind#MISSING}. A version whose transaction cannot be read reports
   * {@link VersionProperties.Kind#UNREADABLE} (or throws {@link io.github.lancesink.LedgerException}
   * naming the version and the cause); it must never be reported as {@code NONE}, because the
   * sink would then take a version that may hold its marker for "not one of ours". Transient
   * read errors throw {@link io.github.lancesink.RetryableException}.
   */
  VersionProperties properties(long version);

  /** The oldest version still readable (after cleanup), or empty when the dataset is absent. */
  OptionalLong earliestVersion();

  /** Table-level configuration entries (persisted across versions). */
  Map<String, String> config();

  /** Upserts table-level configuration entries. Creates one new version. */
  void updateConfig(Map<String, String> entries);

  /**
   * Reads the live rows (deleted rows excluded) of {@code version}, or of the latest version
   * when {@code version} is empty, projecting {@code columns} (all columns when empty). The
   * caller closes the reader; it is valid after the table moves on.
   */
  ArrowReader scan(OptionalLong version, List<String> columns);

  /** A snapshot of the table's shape at the latest version. */
  TableStats stats();

  // ---- maintenance (added for the optimize policy; defaults keep older ports compiling) ----

  /**
   * Compacts small fragments into fragments of about {@code targetRowsPerFragment} rows and
   * rewrites fragments whose deleted fraction exceeds {@code deletedRatio}. Creates at most two
   * versions (Lance reserves fragment ids, then rewrites); a no-op when nothing qualifies.
   *
   * @throws io.github.lancesink.CommitConflictException when a concurrent commit conflicted
   */
  default void compact(long targetRowsPerFragment, double deletedRatio) {
    throw new UnsupportedOperationException(
        "compact is not supported by " + getClass().getName() + "; use OptimizePolicy.never()"
            + " with this port, or NativeLanceTable");
  }

  /** The table's indices, or an empty list when there are none or the table is absent. */
  default java.util.List<IndexState> indices() {
    throw new UnsupportedOperationException(
        "indices is not supported by " + getClass().getName() + "; use OptimizePolicy.never()"
            + " with this port, or NativeLanceTable");
  }

  /** Creates {@code spec}'s index, replacing an index of the same name (one version). */
  default void createIndex(IndexSpec spec) {
    throw new UnsupportedOperationException(
        "createIndex is not supported by " + getClass().getName() + "; use"
            + " OptimizePolicy.never() with this port, or NativeLanceTable");
  }

  /**
   * Like {@link #createIndex(IndexSpec)}, but tells {@code readsFragmentsUpTo} the largest
   * fragment id the build reads as soon as it has opened the table, before the long part of the
   * build. Fragments with a larger id (appended or rewritten later) may be merged while the build
   * runs without making it conflict; rewriting a fragment it reads makes its commit fail. The
   * default reports {@link Long#MAX_VALUE} (everything is read), then builds.
   *
   * @since 0.1.0
   */
  default void createIndex(IndexSpec spec, java.util.function.LongConsumer readsFragmentsUpTo) {
    readsFragmentsUpTo.accept(Long.MAX_VALUE);
    createIndex(spec);
  }

  /**
   * Removes the index {@code name} (one version). Used to retire the previous vector index once
   * a retrained one, built under another name, has landed.
   *
   * @since 0.1.0
   */
  default void dropIndex(String name) {
    throw new UnsupportedOperationException(
        "dropIndex is not supported by " + getClass().getName() + "; use"
            + " OptimizePolicy.toBuilder().retrainDrift(0) with this port, or NativeLanceTable");
  }

  /**
   * Merges exactly the adjacent fragments {@code fragmentIds} (as {@link TableStats#fragmentIds()}
   * reports them) into one fragment, in one Rewrite commit; other fragments are untouched.
   *
   * @throws io.github.lancesink.CommitConflictException when a concurrent commit rewrote one of
   *     them
   * @since 0.1.0
   */
  default void mergeFragments(List<Long> fragmentIds) {
    throw new UnsupportedOperationException(
        "mergeFragments is not supported by " + getClass().getName() + "; report no fragment ids"
            + " in stats() so maintenance does not ask for it, or use NativeLanceTable");
  }

  /**
   * Folds rows not yet indexed into every index (one version). {@code mergeDeltas} = 0 adds a
   * delta segment; n merges the newest n segments and the new rows into one.
   */
  default void optimizeIndices(int mergeDeltas) {
    throw new UnsupportedOperationException(
        "optimizeIndices is not supported by " + getClass().getName() + "; use"
            + " OptimizePolicy.never() with this port, or NativeLanceTable");
  }

  /**
   * Removes versions older than {@code keepFromVersion} and files only they referenced. Creates
   * no version.
   *
   * @return how many versions were removed
   */
  default long cleanupVersions(long keepFromVersion) {
    throw new UnsupportedOperationException(
        "cleanupVersions is not supported by " + getClass().getName() + "; use"
            + " OptimizePolicy.never() with this port, or NativeLanceTable");
  }

  /**
   * Commits a new version that removes exactly the fragments the Append at {@code appendVersion}
   * added, carrying {@code properties} as its transaction properties. The sink uses it to undo
   * its own commit when it detects that another writer with the same writer id committed the
   * same batch concurrently (Lance rebases one Append over the other, so both would land).
   *
   * @return the new version
   * @throws UnsupportedOperationException when the port cannot revert; the sink then fails with
   *     a {@link io.github.lancesink.LedgerException} and leaves the duplicate for an operator
   * @since 0.1.0
   */
  default long revertAppend(long appendVersion, Map<String, String> properties) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot revert an append;"
        + " implement LanceTable.revertAppend, or never run two writers with one writer id");
  }

  /** Releases native resources. Idempotent. */
  @Override
  void close();
}
