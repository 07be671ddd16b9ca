package io.github.lancesink.testkit;

import io.github.lancesink.TableOperationException;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.TableStats;
import io.github.lancesink.spi.VersionProperties;
import io.github.lancesink.testkit.internal.MemoryStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An in-memory {@link LanceTable}: no native code, no files. It keeps versions with their
 * transaction properties, table config, the schema and immutable fragments, and behaves like the
 * real Lance adapter as far as {@link LanceTableContract} can tell (both pass it in this repo).
 * Every instance is independent; values it returns are immutable copies.
 *
 * <p>Faults come from {@link #faults()} (or the builder): fail the next commits, conflicts,
 * ambiguous commits that did or did not land, and {@link SimulatedCrash}es at named {@link
 * CrashPoint}s. {@link #compact()} and {@link #cleanup(int)} simulate Lance maintenance so
 * ledger edge cases can be tested. The port's maintenance methods work too (index bookkeeping
 * only, no real search), so a sink can run with its {@code OptimizePolicy} on; {@link
 * #failNextMaintenance(int)} injects maintenance failures.
 *
 * <pre>{@code
 * try (InMemoryLanceTable table = InMemoryLanceTable.builder()
 *         .faults(f -> f.commitThenThrowStateUnknown(1))
 *         .build();
 *     LanceSink sink = LanceSink.builder().table(table).writerId("w").build()) {
 *   sink.write(0, TestBatch.sequential(0, 10, 8).reader(allocator));
 *   LanceAssertions.assertThat(table).hasRowCount(10).hasBatchCommittedOnce("w", 0);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class InMemoryLanceTable implements LanceTable, KeyedWrites, TableMaintenance {
  private final MemoryStore store;
  private final FaultInjectingTable faulty;
  private final java.util.concurrent.atomic.AtomicInteger maintenanceFailures =
      new java.util.concurrent.atomic.AtomicInteger();

  private InMemoryLanceTable(String uri, Faults faults) {
    JvmFlags.requireArrow();
    this.store = new MemoryStore(uri);
    this.faulty = new FaultInjectingTable(store, faults);
  }

  /** An empty (absent) table at {@code memory://table} with no faults armed. */
  public static InMemoryLanceTable create() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The fault script of this table; arm faults at any time. */
  public Faults faults() {
    return faulty.faults();
  }

  /**
   * Simulates Lance compaction: merges all fragments into one and adds two versions that are
   * not markers (a ReserveFragments and a Rewrite version, both {@link
   * VersionProperties.Kind#NONE}, as Lance 7.0.0 reports them).
   *
   * @return the number of versions added (0 when there were fewer than two fragments)
   */
  public int compact() {
    return store.compact();
  }

  /**
   * Damages a version's transaction, as a corrupt or unreadable {@code _transactions/} file does
   * on real Lance: the version's data stays, but its properties report {@link
   * VersionProperties.Kind#UNREADABLE}, and a sink that needs to read it fails closed with a
   * {@link io.github.lancesink.LedgerException}.
   *
   * @return this table
   */
  public InMemoryLanceTable damageTransaction(long version) {
    store.damage(version);
    return this;
  }

  /**
   * Simulates version cleanup: keeps the newest {@code keepLast} versions; older ones report
   * {@link VersionProperties.Kind#MISSING}.
   *
   * @return how many versions were removed
   */
  public int cleanup(int keepLast) {
    return store.cleanup(keepLast);
  }

  /**
   * Makes the next {@code n} maintenance calls (compaction, index build or refresh, cleanup)
   * throw, to test that maintenance failures never fail a batch.
   */
  public InMemoryLanceTable failNextMaintenance(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, was " + n);
    }
    maintenanceFailures.set(n);
    return this;
  }

  private void maybeFailMaintenance(String operation) {
    if (maintenanceFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new TableOperationException(operation, "In-memory operation '" + operation + "' on "
          + displayUri() + " failed: injected maintenance failure", null);
    }
  }

  /** Simulated compaction ({@link #compact()}); the target size is ignored. */
  @Override
  public void compact(long targetRowsPerFragment, double deletedRatio) {
    maybeFailMaintenance("compact");
    store.compact(targetRowsPerFragment, deletedRatio);
  }

  /** Index bookkeeping only: names, columns, covered rows and segments; no real search. */
  @Override
  public List<IndexState> indices() {
    return store.indices();
  }

  @Override
  public void createIndex(IndexSpec spec) {
    maybeFailMaintenance("createIndex");
    store.createIndex(spec);
  }

  @Override
  public void optimizeIndices(int mergeDeltas) {
    maybeFailMaintenance("optimizeIndices");
    store.optimizeIndices(mergeDeltas);
  }

  @Override
  public void mergeFragments(List<Long> fragmentIds) {
    maybeFailMaintenance("mergeFragments");
    store.mergeFragments(fragmentIds);
  }

  @Override
  public void dropIndex(String name) {
    maybeFailMaintenance("dropIndex");
    store.dropIndex(name);
  }

  @Override
  public long cleanupVersions(long keepFromVersion) {
    maybeFailMaintenance("cleanupVersions");
    return store.cleanupVersions(keepFromVersion);
  }

  /** The operation of every live version, oldest first (Overwrite, Append, UpdateConfig...). */
  public Map<Long, String> operations() {
    return store.operations();
  }

  /** The live rows of the latest version as immutable Java values (see {@link TableRows}). */
  public List<Map<String, Object>> rows() {
    return TableRows.read(this);
  }

  @Override
  public String displayUri() {
    return faulty.displayUri();
  }

  @Override
  public OptionalLong latestVersion() {
    return faulty.latestVersion();
  }

  @Override
  public Optional<Schema> schema() {
    return faulty.schema();
  }

  @Override
  public boolean createIfAbsent(Schema schema) {
    return faulty.createIfAbsent(schema);
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    return faulty.writeFragments(data);
  }

  @Override
  public long commitAppend(
      long readVersion, List<StagedFragments> fragments, Map<String, String> properties) {
    return faulty.commitAppend(readVersion, fragments, properties);
  }

  /** Keyed writes, with the same faults as appends: this table itself. */
  @Override
  public Optional<KeyedWrites> keyedWrites() {
    return Optional.of(this);
  }

  /** Maintenance ({@link #failNextMaintenance(int)} injects failures): this table itself. */
  @Override
  public Optional<TableMaintenance> maintenance() {
    return Optional.of(this);
  }

  @Override
  public void ensureKeyIndex(List<String> keyColumns) {
    faultyKeyed().ensureKeyIndex(keyColumns);
  }

  @Override
  public KeyedCommit commitKeyed(long readVersion, KeyedChange change,
      List<StagedFragments> fragments, Map<String, String> properties) {
    return faultyKeyed().commitKeyed(readVersion, change, fragments, properties);
  }

  private KeyedWrites faultyKeyed() {
    return faulty.keyedWrites().orElseThrow();
  }

  @Override
  public long revertAppend(long appendVersion, Map<String, String> properties) {
    return faulty.revertAppend(appendVersion, properties);
  }

  @Override
  public VersionProperties properties(long version) {
    return faulty.properties(version);
  }

  @Override
  public OptionalLong earliestVersion() {
    return faulty.earliestVersion();
  }

  @Override
  public Map<String, String> config() {
    return faulty.config();
  }

  @Override
  public void updateConfig(Map<String, String> entries) {
    faulty.updateConfig(entries);
  }

  @Override
  public ArrowReader scan(OptionalLong version, List<String> columns) {
    return faulty.scan(version, columns);
  }

  @Override
  public TableStats stats() {
    return store.stats();
  }

  /** Marks the table closed; later calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "InMemoryLanceTable{uri=" + displayUri() + ", " + faults() + "}";
  }

  /** Builds an {@link InMemoryLanceTable}. */
  public static final class Builder {
    private String uri = "memory://table";
    private Faults faults = new Faults();

    private Builder() {}

    /** The display URI (default {@code memory://table}); never opened. */
    public Builder uri(String uri) {
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException("uri must be non-blank");
      }
      this.uri = uri;
      return this;
    }

    /** Uses {@code faults} as the fault script (share it with a driver or other handles). */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Arms faults on the table's script, e.g. {@code f -> f.failNextCommits(2)}. */
    public Builder faults(Consumer<Faults> arm) {
      arm.accept(faults);
      return this;
    }

    public InMemoryLanceTable build() {
      return new InMemoryLanceTable(uri, faults);
    }
  }
}
