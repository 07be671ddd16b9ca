package io.github.lancesink.lance;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.internal.Redactor;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.VersionProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.ReadOptions;
import org.lance.Transaction;
import org.lance.Version;
import org.lance.WriteParams;
import org.lance.ipc.ScanOptions;
import org.lance.operation.Append;

/**
 * The real port: a Lance dataset through {@code org.lance.Dataset}, with both capabilities
 * ({@link #keyedWrites()}, {@link #maintenance()}). Thread-safe (methods are synchronized on the
 * instance; Lance calls are short except fragment writes; maintenance runs on its own handles).
 * Sinks built with {@code tableUri(..)} open one through {@link NativeLanceTableProvider}; open
 * one yourself to read the table in tests or tools, and close it.
 *
 * @since 0.1.0
 */
public final class NativeLanceTable implements LanceTable {
  private final String uri;
  private final String displayUri;
  private final Map<String, String> storageOptions;
  private final BufferAllocator allocator;
  private final NativeMaintenance maintenance = new NativeMaintenance(this);
  private final NativeKeyed keyed = new NativeKeyed(this);
  /** Storage options for commits on object stores, or null for local paths (see below). */
  private final Map<String, String> commitOptions;
  /** Compaction, merges and index builds: here, or split into tasks for workers. */
  private final SplitMaintenance split;
  private Dataset dataset; // null until opened or created
  private boolean closed;

  /**
   * A handle on the dataset at {@code uri} (a local path or {@code s3://}, {@code az://}...
   * URI). Touches no storage: the dataset is opened on first use and may not exist yet.
   *
   * @param storageOptions options handed to Lance (endpoint, region, keys...); never printed
   */
  public NativeLanceTable(String uri, Map<String, String> storageOptions) {
    this(uri, storageOptions, null);
  }

  /**
   * Like {@link #NativeLanceTable(String, Map)}, but compaction and IVF_SQ / IVF_FLAT index
   * builds run their heavy part on {@code workers} (for example a Spark cluster's executors):
   * this handle plans and commits, the workers rewrite fragments and build index segments. Other
   * maintenance (stats, index refreshes, scalar indices, cleanup) runs here as before.
   *
   * @param workers runs the tasks; they open the table with the same URI and storage options
   * @since 0.2.0
   */
  public NativeLanceTable(String uri, Map<String, String> storageOptions,
      MaintenanceWorkers workers) {
    this.uri = uri;
    this.displayUri = Redactor.uri(uri);
    this.storageOptions = Map.copyOf(storageOptions);
    this.allocator = new RootAllocator(Long.MAX_VALUE);
    this.commitOptions = commitOptions(uri, this.storageOptions);
    this.split = new SplitMaintenance(
        new SplitTasks.Location(uri, this.storageOptions), workers, displayUri);
  }

  /**
   * On an object store the HTTP client retries a failed upload by itself. For the manifest PUT
   * of a commit that is unsafe: when the first PUT landed but its response was lost, the retry
   * (sent with If-None-Match) gets 412, Lance takes its own manifest for a concurrent commit,
   * rebases the Append and commits the same fragments again, i.e. a duplicate (reproduced
   * against S3Proxy). So commits run with client retries off: a lost response surfaces as an
   * error, the sink treats it as "state unknown" and reconciles through the ledger instead.
   * A user-set {@code client_max_retries} does not apply to commits for the same reason.
   */
  private static Map<String, String> commitOptions(String uri, Map<String, String> options) {
    int scheme = uri.indexOf("://");
    if (scheme <= 1 || uri.startsWith("file://")) {
      return null;
    }
    Map<String, String> o = new java.util.HashMap<>(options);
    o.put("client_max_retries", "0");
    return Map.copyOf(o);
  }

  /**
   * The builder for every commit the sink makes itself (data, config, revert, restore): on object
   * stores it commits by URI with {@link #commitOptions}, so no manifest upload is ever retried
   * by the HTTP client.
   */
  CommitBuilder commitBuilder(Dataset ds) {
    return commitOptions == null
        ? new CommitBuilder(ds).writeParams(storageOptions)
        : new CommitBuilder(uri, allocator).writeParams(commitOptions);
  }

  SplitMaintenance split() {
    return split;
  }

  String uri() {
    return uri;
  }

  Map<String, String> storageOptions() {
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
        // Listing the versions is a cheap storage round trip; loading a manifest is not, so the
        // handle is only moved when another commit landed (our own commits keep it current).
        if (dataset.latestVersion() != dataset.version()) {
          dataset.checkoutLatest();
        }
      } catch (Exception e) {
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

  /**
   * A fresh handle for operations that commit through a {@code Dataset} method (index builds,
   * compaction): opened with {@link #commitOptions} on object stores, for the same reason.
   */
  Dataset openForCommit() {
    return open(commitOptions != null ? commitOptions : storageOptions);
  }

  Dataset open(Map<String, String> options) {
    return Dataset.open()
        .allocator(allocator)
        .uri(uri)
        .readOptions(new ReadOptions.Builder().setStorageOptions(options).build())
        .build();
  }

  private Dataset tryOpen() {
    try {
      return open(storageOptions);
    } catch (Exception e) {
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
      long version = created.version();
      created.close();
      dataset = tryOpen();
      if (version <= 1) {
        return true;
      }
      CreateRaceRepair.undo(this, version);
      return false;
    } catch (Exception e) {
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
    try {
      return LanceStagedFragments.write(uri, data, storageOptions);
    } catch (Exception e) {
      throw classifyRead("writeFragments", e);
    }
  }

  /** One batch through Lance's single-batch path (no C stream: cheaper, see the notes). */
  @Override
  public StagedFragments writeFragments(org.apache.arrow.vector.VectorSchemaRoot batch) {
    ensureOpen();
    try {
      return LanceStagedFragments.write(uri, batch, storageOptions);
    } catch (Exception e) {
      throw classifyRead("writeFragments", e);
    }
  }

  @Override
  public synchronized long commitAppend(
      long readVersion, List<StagedFragments> staged, Map<String, String> properties) {
    // The caller read readVersion from storage just before; Lance's commit loads every
    // version after the handle's own, so a second round trip to refresh it buys nothing.
    Dataset ds = dataset != null && dataset.version() >= readVersion ? dataset : refreshed();
    if (ds == null) {
      throw Errors.port("commit", displayUri, new IllegalStateException("dataset does not exist"));
    }
    List<FragmentMetadata> fragments = LanceStagedFragments.unwrap(staged);
    try (Transaction txn =
        new Transaction.Builder()
            .readVersion(readVersion)
            .operation(Append.builder().fragments(fragments).build())
            .transactionProperties(properties)
            .build()) {
      Dataset committed = commitBuilder(ds).execute(txn);
      long version = committed.version();
      keep(committed);
      return version;
    } catch (Exception e) {
      throw classifyCommit(readVersion, e);
    }
  }

  /** Keeps a local commit's result as the handle: the next refresh then loads no manifest. */
  private void keep(Dataset committed) {
    if (commitOptions != null || dataset == null || dataset == committed
        || committed.version() < dataset.version()) {
      committed.close();
      return;
    }
    dataset.close();
    dataset = committed;
  }

  /** Keyed writes: the key index, a prefetch of stored rows and the keyed commit. */
  @Override
  public Optional<KeyedWrites> keyedWrites() {
    return Optional.of(keyed);
  }

  /** Stats, compaction, indices and cleanup, each on its own dataset handle. */
  @Override
  public Optional<TableMaintenance> maintenance() {
    return Optional.of(maintenance);
  }

  @Override
  public synchronized VersionProperties properties(long version) {
    return VersionTransactions.properties(this, current(), version);
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
    } catch (Exception e) {
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
    } catch (Exception e) {
      throw classifyRead("getConfig", e);
    }
  }

  /**
   * Removes the fragments the Append at {@code appendVersion} added (ids present there but not
   * in the version before) with one Delete commit. Fails if they were rewritten since.
   */
  @Override
  public synchronized long revertAppend(long appendVersion, Map<String, String> properties) {
    return NativeRevert.revert(this, appendVersion, properties);
  }

  /** Upserts {@code entries}, keeping every other key (see {@link MetadataCommit#upsertConfig}). */
  @Override
  public synchronized void updateConfig(Map<String, String> entries) {
    MetadataCommit.upsertConfig(this, entries);
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
    } catch (Exception e) {
      if (at != null) {
        at.close();
      }
      throw classifyRead("scan", e);
    }
  }

  /** The maintenance implementation (tests widen races through its hooks). */
  NativeMaintenance nativeMaintenance() {
    return maintenance;
  }

  /** The open dataset for maintenance and keyed operations inside the adapter package. */
  synchronized Dataset dataset() {
    return refreshed();
  }

  BufferAllocator allocator() {
    return allocator;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("table " + displayUri + " is closed");
    }
  }

  /** Classifies a failed read (or a non-data commit); see {@link LanceErrors#read}. */
  LanceSinkException classifyRead(String operation, Exception e) {
    return LanceErrors.read(operation, displayUri, storageOptions, e);
  }

  Throwable scrub(Exception e) {
    return e == null ? null : Redactor.scrub(e, storageOptions);
  }

  LanceSinkException classifyCommit(long readVersion, Exception e) {
    return LanceErrors.commit(readVersion, displayUri, storageOptions, e);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    keyed.close();
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
