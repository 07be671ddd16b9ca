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
 * <p>The base port is what every sink needs: versions, transaction properties, config, schema,
 * creation, staging, the append commit, revert and scan. What only some sinks need comes as
 * optional capabilities, each a small interface handed out by a getter (as Delta Kernel's {@code
 * Engine} hands out handlers): {@link #keyedWrites()} and {@link #maintenance()}. A sink whose
 * settings need a capability the port lacks is refused at {@code LanceSink.Builder.build()},
 * naming the port and the capability. A capability added later is another such getter, whose
 * default returns empty.
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

  /**
   * Commits a new version that removes exactly the fragments the Append at {@code appendVersion}
   * added, carrying {@code properties} as its transaction properties. The sink uses it to undo
   * its own commit when it detects that another writer with the same writer id committed the
   * same batch concurrently (Lance rebases one Append over the other, so both would land).
   *
   * @return the new version
   * @throws UnsupportedOperationException when the store cannot revert; the sink then fails with
   *     a {@link io.github.lancesink.LedgerException} and leaves the duplicate for an operator
   *     (only ever needed when two live writers share a writer id)
   * @since 0.1.0
   */
  long revertAppend(long appendVersion, Map<String, String> properties);

  /**
   * Keyed writes ({@code upsert}, {@code cdc}, {@code replaceGroups}), when this port supports
   * them. {@code LanceSink.Builder.build()} refuses a keyed {@code WriteMode} on a port that
   * returns empty, so a missing capability is never found at run time. The default has none.
   *
   * @since 0.1.0
   */
  default Optional<KeyedWrites> keyedWrites() {
    return Optional.empty();
  }

  /**
   * Table maintenance (stats, compaction, indices, version cleanup), when this port supports it.
   * {@code LanceSink.Builder.build()} refuses an {@code OptimizePolicy} other than {@code never()}
   * on a port that returns empty. The default has none.
   *
   * @since 0.1.0
   */
  default Optional<TableMaintenance> maintenance() {
    return Optional.empty();
  }

  /** Releases native resources. Idempotent. */
  @Override
  void close();
}
