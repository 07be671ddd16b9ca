package io.github.lancesink.internal.lance;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.internal.Redactor;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableStats;
import io.github.lancesink.spi.VersionProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.ReadOptions;
import org.lance.Transaction;
import org.lance.Version;
import org.lance.WriteParams;
import org.lance.ipc.ScanOptions;
import org.lance.operation.Append;

/**
 * The real port: a Lance dataset through {@code org.lance.Dataset}. Thread-safe (methods are
 * synchronized on the instance; Lance calls are short except fragment writes).
 */
public final class NativeLanceTable implements LanceTable {
  private final String uri;
  private final String displayUri;
  private final Map<String, String> storageOptions;
  private final BufferAllocator allocator;
  private final NativeMaintenance maintenance = new NativeMaintenance(this);
  private Dataset dataset; // null until opened or created
  private boolean closed;

  public NativeLanceTable(String uri, Map<String, String> storageOptions) {
    this.uri = uri;
    this.displayUri = Redactor.uri(uri);
    this.storageOptions = Map.copyOf(storageOptions);
    this.allocator = new RootAllocator(Long.MAX_VALUE);
  }

  public String uri() {
    return uri;
  }

  public Map<String, String> storageOptions() {
    return storageOptions;
  }

  @Override
  public String displayUri() {
    return displayUri;
  }

  /** The open dataset at its latest version, or null when the dataset does not exist. */
  synchronized Dataset refreshed() {
    ensureOpen();
    if (dataset == null) {
      dataset = tryOpen();
    } else {
      try {
        dataset.checkoutLatest();
      } catch (RuntimeException e) {
        throw classifyRead("refresh", e);
      }
    }
    return dataset;
  }

  /** The open dataset as last refreshed (no storage round trip), or null when absent. */
  private Dataset current() {
    ensureOpen();
    return dataset != null ? dataset : refreshed();
  }

  private Dataset tryOpen() {
    try {
      return Dataset.open()
          .allocator(allocator)
          .uri(uri)
          .readOptions(new ReadOptions.Builder().setStorageOptions(storageOptions).build())
          .build();
    } catch (RuntimeException e) {
      if (LanceErrors.isNotFound(e)) {
        return null;
      }
      throw classifyRead("open", e);
    }
  }

  @Override
  public synchronized OptionalLong latestVersion() {
    Dataset ds = refreshed();
    return ds == null ? OptionalLong.empty() : OptionalLong.of(ds.version());
  }

  @Override
  public synchronized Optional<Schema> schema() {
    Dataset ds = current();
    return ds == null ? Optional.empty() : Optional.of(ds.getSchema());
  }

  @Override
  public synchronized boolean createIfAbsent(Schema schema) {
    if (refreshed() != null) {
      return false;
    }
    try {
      Dataset created =
          Dataset.write()
              .allocator(allocator)
              .schema(schema)
              .uri(uri)
              .mode(WriteParams.WriteMode.CREATE)
              .storageOptions(storageOptions)
              .execute();
      created.close();
      dataset = tryOpen();
      return true;
    } catch (RuntimeException e) {
      dataset = tryOpen();
      if (dataset != null) {
        return false; // lost the creation race; the winner's dataset is there
      }
      throw classifyRead("create", e);
    }
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    ensureOpen();
    BufferAllocator readerAllocator = allocatorOf(data);
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(readerAllocator)) {
      Data.exportArrayStream(readerAllocator, data, stream);
      List<FragmentMetadata> fragments =
          Fragment.write()
              .datasetUri(uri)
              .data(stream)
              .storageOptions(storageOptions)
              .execute();
      long rows = 0;
      for (FragmentMetadata f : fragments) {
        rows += f.getPhysicalRows();
      }
      return new LanceStagedFragments(fragments, rows);
    } catch (RuntimeException e) {
      throw classifyRead("writeFragments", e);
    }
  }

  private static BufferAllocator allocatorOf(ArrowReader reader) {
    try {
      for (FieldVector v : reader.getVectorSchemaRoot().getFieldVectors()) {
        return v.getAllocator();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the batch schema: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("the batch has no columns");
  }

  @Override
  public synchronized long commitAppend(
      long readVersion, List<StagedFragments> staged, Map<String, String> properties) {
    Dataset ds = refreshed();
    if (ds == null) {
      throw Errors.port("commit", displayUri, new IllegalStateException("dataset does not exist"));
    }
    List<FragmentMetadata> fragments = new ArrayList<>();
    for (StagedFragments s : staged) {
      if (!(s instanceof LanceStagedFragments l)) {
        throw new IllegalArgumentException(
            "staged fragments of type " + s.getClass().getName() + " cannot be committed to Lance");
      }
      fragments.addAll(l.fragments());
    }
    try (Transaction txn =
        new Transaction.Builder()
            .readVersion(readVersion)
            .operation(Append.builder().fragments(fragments).build())
            .transactionProperties(properties)
            .build()) {
      Dataset committed = new CommitBuilder(ds).writeParams(storageOptions).execute(txn);
      long version = committed.version();
      committed.close();
      return version;
    } catch (RuntimeException e) {
      throw classifyCommit(readVersion, e);
    }
  }

  @Override
  public synchronized VersionProperties properties(long version) {
    Dataset ds = current();
    if (ds == null || version < 1) {
      return VersionProperties.of(version, VersionProperties.Kind.MISSING);
    }
    Dataset at;
    try {
      at = ds.checkoutVersion(version);
    } catch (RuntimeException e) {
      if (LanceErrors.isNotFound(e)) {
        return VersionProperties.of(version, VersionProperties.Kind.MISSING);
      }
      throw classifyRead("checkoutVersion", e);
    }
    try {
      Optional<Transaction> txn = at.readTransaction();
      if (txn.isEmpty()) {
        return VersionProperties.of(version, VersionProperties.Kind.NONE);
      }
      try (Transaction t = txn.get()) {
        Optional<Map<String, String>> props = t.transactionProperties();
        return props.isEmpty() || props.get().isEmpty()
            ? VersionProperties.of(version, VersionProperties.Kind.NONE)
            : VersionProperties.present(version, props.get());
      }
    } catch (RuntimeException e) {
      // Lance 7.0.0 throws for Rewrite (compaction) transactions; never one of ours.
      return VersionProperties.of(version, VersionProperties.Kind.UNREADABLE);
    } finally {
      at.close();
    }
  }

  @Override
  public synchronized OptionalLong earliestVersion() {
    Dataset ds = refreshed();
    if (ds == null) {
      return OptionalLong.empty();
    }
    try {
      List<Version> versions = ds.listVersions();
      return versions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(versions.get(0).getId());
    } catch (RuntimeException e) {
      throw classifyRead("listVersions", e);
    }
  }

  @Override
  public synchronized Map<String, String> config() {
    Dataset ds = refreshed();
    if (ds == null) {
      return Map.of();
    }
    try {
      return Map.copyOf(ds.getConfig());
    } catch (RuntimeException e) {
      throw classifyRead("getConfig", e);
    }
  }

  @Override
  public synchronized void updateConfig(Map<String, String> entries) {
    Dataset ds = refreshed();
    if (ds == null) {
      throw Errors.port("updateConfig", displayUri, new IllegalStateException("no dataset"));
    }
    try {
      ds.updateConfig(entries);
    } catch (RuntimeException e) {
      throw classifyRead("updateConfig", e);
    }
  }

  @Override
  public synchronized ArrowReader scan(OptionalLong version, List<String> columns) {
    Dataset ds = refreshed();
    if (ds == null) {
      throw Errors.port("scan", displayUri, new IllegalStateException("dataset does not exist"));
    }
    Dataset at = null;
    try {
      at = version.isPresent() ? ds.checkoutVersion(version.getAsLong()) : ds.checkoutVersion(ds.version());
      ScanOptions.Builder options = new ScanOptions.Builder();
      if (!columns.isEmpty()) {
        options.columns(columns);
      }
      return new ScanReader(at, at.newScan(options.build()), allocator);
    } catch (RuntimeException e) {
      if (at != null) {
        at.close();
      }
      throw classifyRead("scan", e);
    }
  }

  @Override
  public TableStats stats() {
    Dataset ds;
    synchronized (this) {
      Dataset latest = refreshed();
      if (latest == null) {
        return TableStats.absent();
      }
      try {
        // a private snapshot, so listing versions and indices never blocks a data commit
        ds = latest.checkoutVersion(latest.version());
      } catch (RuntimeException e) {
        throw classifyRead("stats", e);
      }
    }
    try {
      List<Fragment> fragments = ds.getFragments();
      long physical = 0;
      long deleted = 0;
      for (Fragment f : fragments) {
        physical += f.metadata().getPhysicalRows();
        deleted += f.metadata().getNumDeletions();
      }
      long versions = ds.listVersions().size();
      long rows = physical - deleted;
      long allRows = physical;
      Optional<IndexState> vector =
          NativeMaintenance.vectorIndex(NativeMaintenance.describe(ds));
      long unindexed = vector.map(i -> Math.max(0, allRows - i.indexedRows())).orElse(rows);
      long deltas = vector.map(IndexState::deltas).orElse(0);
      return new TableStats(
          ds.version(), versions, fragments.size(), rows, deleted, unindexed, deltas);
    } catch (RuntimeException e) {
      throw classifyRead("stats", e);
    } finally {
      ds.close();
    }
  }

  // Maintenance runs in NativeMaintenance on its own dataset handle, outside this monitor, so a
  // long compaction or index build never blocks a data commit.

  @Override
  public void compact(long targetRowsPerFragment, double deletedRatio) {
    ensureOpen();
    maintenance.compact(targetRowsPerFragment, deletedRatio);
  }

  @Override
  public List<IndexState> indices() {
    ensureOpen();
    return refreshed() == null ? List.of() : maintenance.indices();
  }

  @Override
  public void createIndex(IndexSpec spec) {
    ensureOpen();
    maintenance.createIndex(spec);
  }

  @Override
  public void optimizeIndices(int mergeDeltas) {
    ensureOpen();
    maintenance.optimizeIndices(mergeDeltas);
  }

  @Override
  public long cleanupVersions(long keepFromVersion) {
    ensureOpen();
    return maintenance.cleanupVersions(keepFromVersion);
  }

  NativeMaintenance maintenance() {
    return maintenance;
  }

  /** The open dataset for maintenance and keyed operations inside the adapter package. */
  synchronized Dataset dataset() {
    return refreshed();
  }

  BufferAllocator allocator() {
    return allocator;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("table " + displayUri + " is closed");
    }
  }

  private LanceSinkException classifyRead(String operation, RuntimeException e) {
    if (e instanceof LanceSinkException l) {
      return l;
    }
    Throwable safe = Redactor.scrub(e, storageOptions);
    if (LanceErrors.isTransient(e)) {
      return Errors.retryable(operation, displayUri, safe);
    }
    return Errors.port(operation, displayUri, safe);
  }

  private LanceSinkException classifyCommit(long readVersion, RuntimeException e) {
    Throwable safe = Redactor.scrub(e, storageOptions);
    if (LanceErrors.isConflict(e)) {
      return Errors.conflict(displayUri, readVersion, safe);
    }
    if (LanceErrors.isTransient(e)) {
      return Errors.stateUnknown(displayUri, safe);
    }
    return Errors.port("commit", displayUri, safe);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (dataset != null) {
      dataset.close();
      dataset = null;
    }
    allocator.close();
  }

  @Override
  public String toString() {
    return "NativeLanceTable{uri=" + displayUri + ", storageOptions="
        + Redactor.options(storageOptions) + "}";
  }
}
