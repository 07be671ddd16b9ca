package io.github.lancesink.lance;

import io.github.lancesink.internal.Futures;
import io.github.lancesink.internal.KeyValues;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.OptimizeOptions;
import org.lance.index.scalar.BTreeIndexParams;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import org.lance.operation.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed writes on real Lance as one {@code Update} transaction: the stored rows of the batch's
 * keys are found through a BTREE index (a filtered scan returning row addresses), marked deleted
 * through {@link Fragment#deleteRows} (new deletion files, invisible until committed), and the
 * commit carries the deletion vectors, the new fragments and the marker together.
 */
final class NativeKeyedWrites {
  private static final Logger LOG = LoggerFactory.getLogger(NativeKeyedWrites.class);
  /** Prefix of the BTREE index the sink keeps on each key column. */
  static final String INDEX_PREFIX = "lance_sink_key_";
  /**
   * Keys per indexed lookup scan; keys are sorted first so one scan covers a narrow key range
   * (few BTREE pages, clustered rows). Measured on 1M rows, 10k random keys: unsorted 64 per
   * scan 630-1150 ms, unsorted 1024 per scan 2.6 s; sorted 64 per scan 270-330 ms, sorted 256
   * per scan 70-130 ms, sorted 1024 per scan 100-140 ms (1k keys: 36-44 ms vs 270-620 ms).
   */
  static final int LOOKUP_CHUNK = 256;
  /**
   * Fragments the key index may lag behind before it is folded forward. Unindexed fragments are
   * flat-scanned by every lookup scan; folding forward costs about 50-90 ms at 1M rows and one
   * version. Measured at 1M rows, 10k-key CDC batches (whole write, noisy host): lag 8 gave
   * 406-581 ms, lag 4 gave 752-1026 ms, lag 1 gave 368-636 ms; no lag setting won clearly, so
   * the index is folded rarely (fewer versions).
   */
  static final int MAX_UNINDEXED_FRAGMENTS = 8;

  private NativeKeyedWrites() {}

  /** Whether {@link #ensureKeyIndex} has work: a key index is missing or lags behind. */
  static boolean keyIndexDue(Dataset ds, List<String> columns) {
    List<Fragment> fragments = ds.getFragments();
    if (fragments.isEmpty()) {
      return false;
    }
    Map<String, Index> existing = new HashMap<>();
    for (Index i : ds.getIndexes()) {
      existing.put(i.name(), i);
    }
    for (String column : columns) {
      Index index = existing.get(INDEX_PREFIX + column);
      if (index == null || unindexed(fragments, index) > MAX_UNINDEXED_FRAGMENTS) {
        return true;
      }
    }
    return false;
  }

  /**
   * Creates the key indexes if absent, and optimizes them when they lag behind; {@code ds} is a
   * handle whose commits are not retried by the object-store client (see {@link MetadataCommit}).
   */
  static void ensureKeyIndex(Dataset ds, List<String> columns) {
    List<Fragment> fragments = ds.getFragments();
    if (fragments.isEmpty()) {
      return; // nothing to index yet; the first keyed commit finds nothing to remove anyway
    }
    Map<String, Index> existing = new HashMap<>();
    for (Index i : ds.getIndexes()) {
      existing.put(i.name(), i);
    }
    List<String> stale = new ArrayList<>();
    for (String column : columns) {
      String name = INDEX_PREFIX + column;
      Index index = existing.get(name);
      if (index == null) {
        ds.createIndex(
            IndexOptions.builder(List.of(column), IndexType.BTREE,
                    IndexParams.builder()
                        .setScalarIndexParams(BTreeIndexParams.builder().build())
                        .build())
                .withIndexName(name)
                .replace(true)
                .build());
      } else if (unindexed(fragments, index) > MAX_UNINDEXED_FRAGMENTS) {
        stale.add(name);
      }
    }
    if (!stale.isEmpty()) {
      long start = System.nanoTime();
      ds.optimizeIndices(OptimizeOptions.builder().indexNames(stale).build());
      LOG.debug("folded new fragments into key indexes {} in {} ms", stale,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static long unindexed(List<Fragment> fragments, Index index) {
    Set<Integer> covered = new HashSet<>(index.fragments().orElse(List.of()));
    return fragments.stream().filter(f -> !covered.contains(f.getId())).count();
  }

  /**
   * Builds and commits the Update; {@code latest} is the table's open dataset and {@code
   * commits} makes the table's commit builder (see {@code NativeLanceTable.commitBuilder}).
   */
  static KeyedCommit commit(Dataset latest, long readVersion, KeyedChange change,
      List<FragmentMetadata> added, Map<String, String> properties,
      java.util.function.Function<Dataset, CommitBuilder> commits, Prefetch ahead) {
    List<FragmentMetadata> updated = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    long removedRows = 0;
    long absentDeletes = 0;
    long start = System.nanoTime();
    long looked = start;
    boolean usable = ahead != null && ahead.version == readVersion && ahead.change == change;
    if (ahead != null && (!usable || change.removesNothing())) {
      ahead.close(); // looked up at another version (e.g. an index or compaction landed since)
    }
    if (!change.removesNothing()) {
      try (Prefetch owner = usable ? ahead : null;
          Dataset own = usable ? null : latest.checkoutVersion(readVersion)) {
        Dataset at = usable ? ahead.at : own;
        Lookup found = usable ? ahead.join() : lookup(at, change);
        looked = System.nanoTime();
        for (Map.Entry<Integer, List<Integer>> e : found.offsets.entrySet()) {
          FragmentMetadata after = at.getFragment(e.getKey()).deleteRows(e.getValue());
          if (after == null) {
            removed.add((long) e.getKey());
          } else {
            updated.add(after);
          }
          removedRows += e.getValue().size();
        }
        absentDeletes = change.deletedKeys().size() - found.matchedDeletes.size();
      }
    }
    long deleted = System.nanoTime();
    try (Transaction txn =
        new Transaction.Builder()
            .readVersion(readVersion)
            .operation(Update.builder()
                .removedFragmentIds(removed)
                .updatedFragments(updated)
                .newFragments(added)
                .build())
            .transactionProperties(KeyedCommit.withCounts(properties, removedRows, absentDeletes))
            .build()) {
      Dataset committed = commits.apply(latest).execute(txn);
      long version = committed.version();
      committed.close();
      long end = System.nanoTime();
      LOG.debug("keyed commit v{}: lookup {} ms, deletion vectors {} ms, commit {} ms; {} rows"
          + " removed from {} fragments", version, (looked - start) / 1_000_000,
          (deleted - looked) / 1_000_000, (end - deleted) / 1_000_000, removedRows,
          updated.size() + removed.size());
      return new KeyedCommit(version, removedRows, absentDeletes);
    }
  }

  /** Row offsets per fragment of the live rows whose key is in {@code change}. */
  private static final class Lookup {
    final Map<Integer, List<Integer>> offsets = new TreeMap<>();
    final Set<List<Object>> matchedDeletes = new HashSet<>();
  }

  private static Lookup lookup(Dataset at, KeyedChange change) {
    return merge(submit(at, change));
  }

  /** Starts one lookup scan per {@link #LOOKUP_CHUNK} sorted keys on the lookup threads. */
  private static List<java.util.concurrent.Future<Lookup>> submit(Dataset at, KeyedChange change) {
    List<String> columns = change.keyColumns();
    List<List<Object>> all = new ArrayList<>(change.replacedKeys());
    all.addAll(change.deletedKeys());
    all.sort(NativeKeyedWrites::compareKeys);
    // The chunks are independent read-only scans of one snapshot: each fills its own result.
    List<java.util.concurrent.Future<Lookup>> parts = new ArrayList<>();
    for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
      List<List<Object>> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
      parts.add(LOOKUPS.submit(() -> {
        Lookup part = new Lookup();
        scanChunk(at, columns, chunk, change, part);
        return part;
      }));
    }
    return parts;
  }

  /** Waits for every part (so none still reads the snapshot) and merges them. */
  private static Lookup merge(List<java.util.concurrent.Future<Lookup>> parts) {
    Lookup found = new Lookup();
    RuntimeException failure = null;
    for (java.util.concurrent.Future<Lookup> f : parts) {
      try {
        // the scan reads a snapshot we close next: let it finish even when interrupted
        Lookup part = Futures.getUninterruptibly(f);
        part.offsets.forEach((frag, offsets) ->
            found.offsets.computeIfAbsent(frag, k -> new ArrayList<>()).addAll(offsets));
        found.matchedDeletes.addAll(part.matchedDeletes);
      } catch (java.util.concurrent.ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r
              : new IllegalStateException("looking up stored keys failed", e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    found.offsets.values().forEach(java.util.Collections::sort);
    return found;
  }

  /**
   * Lookup scans started while the batch is still being staged ({@code
   * LanceTable.prefetchKeyed}), at one version, on a snapshot this object owns. The commit uses
   * them only for the same version and the same change; otherwise it closes them.
   */
  static final class Prefetch implements AutoCloseable {
    final long version;
    final KeyedChange change;
    final Dataset at;
    private final List<java.util.concurrent.Future<Lookup>> parts;
    private boolean closed;

    private Prefetch(KeyedChange change, Dataset at) {
      this.version = at.version();
      this.change = change;
      this.at = at;
      this.parts = submit(at, change);
    }

    /** The merged result; waits for the scans still running. */
    Lookup join() {
      return merge(parts);
    }

    /** Waits for every scan to end (none may outlive the snapshot), then closes it. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (java.util.concurrent.Future<Lookup> f : parts) {
        try {
          Futures.getUninterruptibly(f);
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
          // discarded: the commit looks the keys up again
        }
      }
      at.close();
    }
  }

  /** Starts looking up {@code change}'s keys at {@code latest}'s version, on a snapshot. */
  static Prefetch prefetch(Dataset latest, KeyedChange change) {
    Dataset at = latest.checkoutVersion(latest.version());
    try {
      return new Prefetch(change, at);
    } catch (RuntimeException e) {
      at.close();
      throw e;
    }
  }

  /**
   * Threads for the lookup scans of one batch. Measured on 1M and 10M rows, 9,000 sorted keys
   * (2 cores, shared machine): one scan of all keys took 6-9 s (the indexed IN list costs more
   * than linearly in its length), 1,024 per scan 0.5-6 s, 256 per scan 0.7-2.6 s in sequence
   * and 0.26-0.9 s on two threads. Daemon threads, so they never keep a JVM alive.
   */
  static final int LOOKUP_THREADS =
      Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private static final java.util.concurrent.ExecutorService LOOKUPS =
      java.util.concurrent.Executors.newFixedThreadPool(LOOKUP_THREADS, r -> {
        Thread t = new Thread(r, "lance-sink-key-lookup");
        t.setDaemon(true);
        return t;
      });

  private static void scanChunk(Dataset at, List<String> columns, List<List<Object>> chunk,
      KeyedChange change, Lookup found) {
    ScanOptions options = new ScanOptions.Builder()
        .columns(columns)
        .filter(filter(columns, chunk))
        .withRowAddress(true)
        .build();
    try (LanceScanner scanner = at.newScan(options);
        ArrowReader rows = scanner.scanBatches()) {
      while (rows.loadNextBatch()) {
        collect(rows.getVectorSchemaRoot(), change, found);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("looking up stored keys failed", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the key lookup scan failed", e);
    }
  }

  private static void collect(VectorSchemaRoot root, KeyedChange change, Lookup found) {
    UInt8Vector addresses = (UInt8Vector) root.getVector("_rowaddr");
    for (int r = 0; r < root.getRowCount(); r++) {
      List<Object> key = KeyValues.key(root, change.keyColumns(), r);
      boolean deleted = change.deletedKeys().contains(key);
      if (!deleted && !change.replacedKeys().contains(key)) {
        continue; // a composite-key scan may over-match; keep exact tuples only
      }
      if (deleted) {
        found.matchedDeletes.add(key);
      }
      long address = addresses.get(r);
      found.offsets.computeIfAbsent((int) (address >>> 32), k -> new ArrayList<>())
          .add((int) address);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareKeys(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = ((Comparable) a.get(i)).compareTo(b.get(i)); // Long or String, same per column
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** A filter selecting (a superset of) the rows with keys in {@code keys}. */
  static String filter(List<String> columns, List<List<Object>> keys) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < columns.size(); c++) {
      Set<Object> values = new LinkedHashSet<>();
      for (List<Object> k : keys) {
        values.add(k.get(c));
      }
      if (c > 0) {
        sb.append(" AND ");
      }
      sb.append('`').append(columns.get(c).replace("`", "``")).append("` IN (");
      boolean first = true;
      for (Object v : values) {
        sb.append(first ? "" : ", ").append(literal(v));
        first = false;
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static String literal(Object v) {
    if (v instanceof String s) {
      return "'" + s.replace("'", "''") + "'";
    }
    return String.valueOf((Long) v);
  }
}
