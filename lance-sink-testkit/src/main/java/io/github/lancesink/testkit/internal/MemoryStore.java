package io.github.lancesink.testkit.internal;

import io.github.lancesink.CommitConflictException;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The state behind {@code InMemoryLanceTable}: versions (each an immutable snapshot of
 * fragments, config and transaction properties), staged fragments, and the schema. Mimics the
 * Lance 7.0.0 behaviour the contract suite pins down: appends rebase over concurrent versions,
 * creation races have one winner, compaction adds non-marker versions, cleanup makes old
 * versions {@code MISSING}. All methods are synchronized.
 */
public final class MemoryStore implements LanceTable, KeyedWrites, TableMaintenance {

  /** One committed fragment. */
  record Fragment(long id, FrozenBatches.Frozen data) {}

  /** One immutable version. */
  record Version(long version, String operation, VersionProperties.Kind kind,
      Map<String, String> properties, List<Fragment> fragments, Map<String, String> config) {}

  /** Fragments staged by {@link #writeFragments}, committable only to the store that wrote them. */
  record Staged(String storeId, List<Long> fragmentIds, long rows) implements StagedFragments {
    private static final long serialVersionUID = 1L;
  }

  private final String uri;
  private final String storeId = UUID.randomUUID().toString();
  private final TreeMap<Long, Version> versions = new TreeMap<>();
  private final Map<Long, Fragment> staged = new HashMap<>();
  private final Map<String, IndexState> indices = new java.util.LinkedHashMap<>();
  private final java.util.Set<Long> damaged = new java.util.HashSet<>();
  private Schema schema;
  private long nextFragmentId;
  private boolean closed;

  public MemoryStore(String uri) {
    this.uri = uri;
  }

  @Override
  public String displayUri() {
    return uri;
  }

  @Override
  public synchronized OptionalLong latestVersion() {
    ensureOpen();
    return versions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(versions.lastKey());
  }

  @Override
  public synchronized Optional<Schema> schema() {
    ensureOpen();
    return Optional.ofNullable(schema);
  }

  @Override
  public synchronized boolean createIfAbsent(Schema s) {
    ensureOpen();
    if (schema != null) {
      return false;
    }
    schema = s;
    versions.put(1L, new Version(1, "Overwrite", VersionProperties.Kind.NONE, Map.of(),
        List.of(), Map.of()));
    return true;
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    ensureOpen();
    FrozenBatches.Frozen frozen = FrozenBatches.freeze(data, uri); // outside the lock: slow
    synchronized (this) {
      if (frozen.rows() == 0) {
        return new Staged(storeId, List.of(), 0);
      }
      long id = nextFragmentId++;
      staged.put(id, new Fragment(id, frozen));
      return new Staged(storeId, List.of(id), frozen.rows());
    }
  }

  @Override
  public synchronized long commitAppend(
      long readVersion, List<StagedFragments> fragments, Map<String, String> properties) {
    ensureOpen();
    Version latest = latest("commit");
    if (readVersion > latest.version()) {
      throw fail("commit", "read version " + readVersion + " does not exist (latest is "
          + latest.version() + ")");
    }
    List<Fragment> all = new ArrayList<>(latest.fragments());
    for (StagedFragments s : fragments) {
      if (!(s instanceof Staged st) || !st.storeId().equals(storeId)) {
        throw new IllegalArgumentException("staged fragments of type " + s.getClass().getName()
            + " were not written by this in-memory table and cannot be committed to it");
      }
      for (long id : st.fragmentIds()) {
        all.add(staged.get(id));
      }
    }
    // Like Lance, an Append rebases over whatever was committed since readVersion.
    return add("Append", properties.isEmpty() ? VersionProperties.Kind.NONE
        : VersionProperties.Kind.PRESENT, properties, all, latest.config());
  }

  /** Checks the key columns exist; the in-memory store needs no index. */
  @Override
  public synchronized void ensureKeyIndex(List<String> keyColumns) {
    ensureOpen();
    if (schema == null) {
      return;
    }
    for (String c : keyColumns) {
      if (schema.getFields().stream().noneMatch(f -> f.getName().equals(c))) {
        throw fail("ensureKeyIndex", "key column '" + c + "' is not in the table");
      }
    }
  }

  /**
   * Like Lance's Update: removes the rows of {@code change}'s keys found in {@code readVersion},
   * adds the staged fragments, one version. Rebases over concurrent Appends and config updates;
   * any other concurrent operation (compaction, another keyed write) is a conflict.
   */
  @Override
  public synchronized KeyedCommit commitKeyed(long readVersion, KeyedChange change,
      List<StagedFragments> fragments, Map<String, String> properties) {
    ensureOpen();
    Version latest = latest("commit");
    Version read = versions.get(readVersion);
    if (read == null) {
      throw fail("commit", "read version " + readVersion + " does not exist");
    }
    for (Version v : versions.tailMap(readVersion, false).values()) {
      if (!v.operation().equals("Append") && !v.operation().equals("UpdateConfig")) {
        throw new CommitConflictException("In-memory keyed commit on " + uri + " based on"
            + " version " + readVersion + " conflicts with the concurrent " + v.operation()
            + " at version " + v.version() + "; nothing was committed", null);
      }
    }
    Set<Long> lookup = new HashSet<>();
    read.fragments().forEach(f -> lookup.add(f.id()));
    MemoryKeyedWrites.Removal removal =
        MemoryKeyedWrites.remove(schema, latest.fragments(), lookup, change);
    List<Fragment> all = new ArrayList<>(removal.fragments());
    all.addAll(stagedOf(fragments));
    long version = add("Update", properties.isEmpty() ? VersionProperties.Kind.NONE
        : VersionProperties.Kind.PRESENT, KeyedCommit.withCounts(properties,
            removal.removedRows(), removal.absentDeletes()), all, latest.config());
    return new KeyedCommit(version, removal.removedRows(), removal.absentDeletes());
  }

  private List<Fragment> stagedOf(List<StagedFragments> fragments) {
    List<Fragment> out = new ArrayList<>();
    for (StagedFragments s : fragments) {
      if (!(s instanceof Staged st) || !st.storeId().equals(storeId)) {
        throw new IllegalArgumentException("staged fragments of type " + s.getClass().getName()
            + " were not written by this in-memory table and cannot be committed to it");
      }
      for (long id : st.fragmentIds()) {
        out.add(staged.get(id));
      }
    }
    return out;
  }

  @Override
  public Optional<KeyedWrites> keyedWrites() {
    return Optional.of(this);
  }

  @Override
  public Optional<TableMaintenance> maintenance() {
    return Optional.of(this);
  }

  @Override
  public synchronized long revertAppend(long appendVersion, Map<String, String> properties) {
    ensureOpen();
    Version latest = latest("revertAppend");
    Version at = versions.get(appendVersion);
    Version before = versions.get(appendVersion - 1);
    if (at == null || before == null) {
      throw fail("revertAppend", "versions " + (appendVersion - 1) + " and " + appendVersion
          + " must both exist");
    }
    java.util.Set<Long> old = new java.util.HashSet<>();
    before.fragments().forEach(f -> old.add(f.id()));
    java.util.Set<Long> added = new java.util.HashSet<>();
    at.fragments().stream().filter(f -> !old.contains(f.id())).forEach(f -> added.add(f.id()));
    if (added.isEmpty()) {
      throw fail("revertAppend", "version " + appendVersion + " added no fragments");
    }
    List<Fragment> kept = latest.fragments().stream().filter(f -> !added.contains(f.id()))
        .toList();
    if (kept.size() + added.size() != latest.fragments().size()) {
      throw fail("revertAppend", "the fragments of version " + appendVersion
          + " were rewritten since");
    }
    return add("Delete", properties.isEmpty() ? VersionProperties.Kind.NONE
        : VersionProperties.Kind.PRESENT, properties, kept, latest.config());
  }

  @Override
  public synchronized VersionProperties properties(long version) {
    ensureOpen();
    Version v = versions.get(version);
    if (v == null) {
      return VersionProperties.of(version, VersionProperties.Kind.MISSING);
    }
    if (damaged.contains(version)) {
      return VersionProperties.of(version, VersionProperties.Kind.UNREADABLE);
    }
    return new VersionProperties(version, v.kind(), v.properties());
  }

  /**
   * Makes an existing version's transaction unreadable, as a damaged transaction file does on
   * real Lance: its data stays visible, but {@link #properties(long)} reports {@code
   * UNREADABLE}.
   */
  public synchronized void damage(long version) {
    ensureOpen();
    if (!versions.containsKey(version)) {
      throw new IllegalArgumentException("no version " + version + " in " + uri);
    }
    damaged.add(version);
  }

  @Override
  public synchronized OptionalLong earliestVersion() {
    ensureOpen();
    return versions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(versions.firstKey());
  }

  @Override
  public synchronized Map<String, String> config() {
    ensureOpen();
    return versions.isEmpty() ? Map.of() : versions.lastEntry().getValue().config();
  }

  @Override
  public synchronized void updateConfig(Map<String, String> entries) {
    ensureOpen();
    Version latest = latest("updateConfig");
    Map<String, String> config = new HashMap<>(latest.config());
    config.putAll(entries);
    add("UpdateConfig", VersionProperties.Kind.NONE, Map.of(), latest.fragments(), config);
  }

  @Override
  public synchronized ArrowReader scan(OptionalLong version, List<String> columns) {
    ensureOpen();
    Version v = version.isPresent() ? versions.get(version.getAsLong()) : latest("scan");
    if (v == null) {
      throw fail("scan", "version " + version.getAsLong() + " does not exist");
    }
    try {
      Schema projected = MemoryScanReader.project(schema, columns);
      return MemoryScanReader.open(projected, v.fragments().stream().map(Fragment::data).toList());
    } catch (IllegalArgumentException e) {
      throw fail("scan", e.getMessage());
    }
  }

  @Override
  public synchronized TableStats stats() {
    ensureOpen();
    if (versions.isEmpty()) {
      return TableStats.absent();
    }
    Version v = versions.lastEntry().getValue();
    long rows = rows(v);
    Optional<IndexState> vector = indices.values().stream()
        .filter(i -> i.kind() == IndexState.Kind.VECTOR).findFirst();
    long unindexed = vector.map(i -> Math.max(0, rows - i.indexedRows())).orElse(rows);
    return new TableStats(v.version(), versions.size(), v.fragments().size(), rows, 0, unindexed,
        vector.map(IndexState::deltas).orElse(0),
        v.fragments().stream().map(f -> (long) f.data().rows()).toList(),
        v.fragments().stream().map(Fragment::id).toList());
  }

  private static long rows(Version v) {
    return v.fragments().stream().mapToLong(f -> f.data().rows()).sum();
  }

  // ---- simple maintenance for the optimize policy: index bookkeeping only, no real search ----

  @Override
  public synchronized void compact(long targetRowsPerFragment, double deletedRatio) {
    compact(targetRowsPerFragment);
  }

  @Override
  public synchronized List<IndexState> indices() {
    ensureOpen();
    return List.copyOf(indices.values());
  }

  /** Records the index as covering every current row, in one new version. */
  @Override
  public synchronized void createIndex(IndexSpec spec) {
    ensureOpen();
    Version latest = latest("createIndex");
    indices.put(spec.name(), new IndexState(spec.name(), spec.column(), spec.kind(),
        rows(latest), 1));
    add("CreateIndex", VersionProperties.Kind.NONE, Map.of(), latest.fragments(),
        latest.config());
  }

  /** Covers every current row; adds a delta segment, or merges {@code mergeDeltas} segments. */
  @Override
  public synchronized void optimizeIndices(int mergeDeltas) {
    ensureOpen();
    Version latest = latest("optimizeIndices");
    long rows = rows(latest);
    indices.replaceAll((name, i) -> new IndexState(name, i.column(), i.kind(), rows,
        mergeDeltas == 0 ? i.segments() + 1 : Math.max(1, i.segments() + 1 - mergeDeltas)));
    add("OptimizeIndices", VersionProperties.Kind.NONE, Map.of(), latest.fragments(),
        latest.config());
  }

  @Override
  public synchronized long cleanupVersions(long keepFromVersion) {
    ensureOpen();
    long removed = 0;
    while (versions.size() > 1 && versions.firstKey() < keepFromVersion) {
      versions.pollFirstEntry();
      removed++;
    }
    return removed;
  }

  /**
   * Merges all fragments into one, adding a ReserveFragments version and a Rewrite version,
   * both with properties {@code NONE}, the way Lance 7.0.0 reports them. A table with fewer
   * than two fragments is unchanged.
   *
   * @return the number of versions added (0 or 2)
   */
  public synchronized int compact() {
    return compact(Long.MAX_VALUE);
  }

  /**
   * Like Lance, rewrites only the fragments with fewer rows than {@code targetRows} (here into
   * one fragment, in the place of the first of them); larger fragments stay as they are.
   */
  private int compact(long targetRows) {
    return rewrite(f -> f.data().rows() < targetRows);
  }

  /** Merges exactly the listed fragments into one (like compact, two versions). */
  @Override
  public synchronized void mergeFragments(List<Long> fragmentIds) {
    rewrite(f -> fragmentIds.contains(f.id()));
  }

  /** Forgets the index {@code name}, in one new version. */
  @Override
  public synchronized void dropIndex(String name) {
    ensureOpen();
    Version latest = latest("dropIndex");
    indices.remove(name);
    add("DropIndex", VersionProperties.Kind.NONE, Map.of(), latest.fragments(), latest.config());
  }

  private int rewrite(java.util.function.Predicate<Fragment> picked) {
    ensureOpen();
    Version latest = latest("compact");
    List<Fragment> small = latest.fragments().stream().filter(picked).toList();
    if (small.size() < 2) {
      return 0;
    }
    FrozenBatches.Frozen merged;
    try (ArrowReader all = MemoryScanReader.open(schema,
        small.stream().map(Fragment::data).toList())) {
      merged = FrozenBatches.freeze(all, uri);
    } catch (IOException e) {
      throw fail("compact", e.getMessage());
    }
    add("ReserveFragments", VersionProperties.Kind.NONE, Map.of(), latest.fragments(),
        latest.config());
    Fragment one = new Fragment(nextFragmentId++, merged);
    List<Fragment> after = new java.util.ArrayList<>();
    for (Fragment f : latest.fragments()) {
      if (f == small.get(0)) {
        after.add(one);
      } else if (!small.contains(f)) {
        after.add(f);
      }
    }
    add("Rewrite", VersionProperties.Kind.NONE, Map.of(), after, latest.config());
    return 2;
  }

  /**
   * Removes every version but the newest {@code keepLast}; their properties become {@code
   * MISSING} and {@link #earliestVersion()} moves up. Orphan staged fragments are dropped too.
   *
   * @return the number of versions removed
   */
  public synchronized int cleanup(int keepLast) {
    ensureOpen();
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, was " + keepLast);
    }
    int removed = 0;
    while (versions.size() > keepLast) {
      versions.pollFirstEntry();
      removed++;
    }
    staged.clear();
    return removed;
  }

  /** The operation names of the live versions, oldest first (e.g. Append, Rewrite). */
  public synchronized Map<Long, String> operations() {
    Map<Long, String> ops = new TreeMap<>();
    versions.forEach((k, v) -> ops.put(k, v.operation()));
    return ops;
  }

  private Version latest(String operation) {
    if (versions.isEmpty()) {
      throw fail(operation, "the dataset does not exist");
    }
    return versions.lastEntry().getValue();
  }

  private long add(String op, VersionProperties.Kind kind, Map<String, String> props,
      List<Fragment> fragments, Map<String, String> config) {
    long v = versions.lastKey() + 1;
    versions.put(v, new Version(v, op, kind, Map.copyOf(props), List.copyOf(fragments),
        Map.copyOf(config)));
    return v;
  }

  private TableOperationException fail(String operation, String why) {
    return new TableOperationException(operation,
        "In-memory operation '" + operation + "' on " + uri + " failed: " + why, null);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("table " + uri + " is closed");
    }
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
