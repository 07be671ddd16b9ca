package io.github.lancesink.lance;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.internal.Redactor;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.TableStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.cleanup.CleanupPolicy;
import org.lance.cleanup.RemovalStats;
import org.lance.index.IndexDescription;
import org.lance.index.OptimizeOptions;
import org.lance.schema.LanceField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance on a real Lance dataset, for {@link NativeLanceTable}. Every long operation runs on
 * its own freshly opened {@link Dataset} handle, never under the table's monitor, so a data commit
 * is not blocked while compaction or an index build runs; Lance's commit protocol decides whether
 * the two are compatible (an Append rebases over a Rewrite or an index commit).
 */
final class NativeMaintenance implements TableMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(NativeMaintenance.class);
  private final NativeLanceTable table;
  /** Runs after the fresh handle is opened, before the operation (tests widen races here). */
  private volatile java.util.function.Consumer<String> afterOpen = op -> {};

  NativeMaintenance(NativeLanceTable table) {
    this.table = table;
  }

  @Override
  public void compact(long targetRowsPerFragment, double deletedRatio) {
    table.ensureOpen();
    run("compact", NativeMaintenance::rewritten, ds -> {
      table.split().compact(ds,
          new SplitTasks.Compaction(targetRowsPerFragment, (float) deletedRatio));
      return null;
    });
  }

  /**
   * A snapshot of the latest version's shape, read from a private checkout so that listing
   * versions and indices never blocks a data commit.
   */
  @Override
  public TableStats stats() {
    Dataset ds;
    synchronized (table) {
      Dataset latest = table.refreshed();
      if (latest == null) {
        return TableStats.absent();
      }
      try {
        // a private snapshot, so listing versions and indices never blocks a data commit
        ds = latest.checkoutVersion(latest.version());
      } catch (RuntimeException e) {
        throw table.classifyRead("stats", e);
      }
    }
    try {
      List<Fragment> fragments = ds.getFragments();
      long physical = 0;
      long deleted = 0;
      List<Long> sizes = new ArrayList<>(fragments.size());
      List<Long> ids = new ArrayList<>(fragments.size());
      for (Fragment f : fragments) {
        long n = f.metadata().getPhysicalRows();
        sizes.add(n);
        ids.add((long) f.getId());
        physical += n;
        deleted += f.metadata().getNumDeletions();
      }
      long versions = countVersions(ds);
      long rows = physical - deleted;
      long allRows = physical;
      Optional<IndexState> vector = vectorIndex(describe(ds));
      long unindexed = vector.map(i -> Math.max(0, allRows - i.indexedRows())).orElse(rows);
      long deltas = vector.map(IndexState::deltas).orElse(0);
      return new TableStats(
          ds.version(), versions, fragments.size(), rows, deleted, unindexed, deltas, sizes, ids);
    } catch (Exception e) {
      throw table.classifyRead("stats", e);
    } finally {
      ds.close();
    }
  }

  /**
   * Versions on storage. Listing reads every manifest, and a cleanup (ours on the maintenance
   * lane, or another process's) can delete one between the listing and the read, which Lance
   * reports as a missing object; the count is then simply read again.
   */
  private static long countVersions(Dataset ds) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return ds.listVersions().size();
      } catch (Exception e) { // the native side throws IOException undeclared
        String m = String.valueOf(e.getMessage());
        if (attempt >= 5 || !(m.contains("not found") || m.contains("NotFound"))) {
          throw e;
        }
      }
    }
  }

  @Override
  public List<IndexState> indices() {
    table.ensureOpen();
    if (table.dataset() == null) {
      return List.of();
    }
    return run("describeIndices", NativeMaintenance::describe);
  }

  static List<IndexState> describe(Dataset ds) {
    List<IndexDescription> all = ds.describeIndices();
    if (all.isEmpty()) {
      return List.of();
    }
    Map<Integer, String> names = new HashMap<>();
    for (LanceField f : ds.getLanceSchema().fields()) {
      names.put(f.getId(), f.getName());
    }
    List<IndexState> out = new ArrayList<>();
    for (IndexDescription d : all) {
      String column = d.getFieldIds().isEmpty() ? "" : names.getOrDefault(
          d.getFieldIds().get(0), "field#" + d.getFieldIds().get(0));
      String type = d.getIndexType().toUpperCase(Locale.ROOT);
      IndexState.Kind kind = type.contains("IVF") || type.contains("HNSW")
          || type.contains("VECTOR") || type.contains("PQ") ? IndexState.Kind.VECTOR
          : IndexState.Kind.SCALAR;
      out.add(new IndexState(d.getName(), column, kind, d.getRowsIndexed(),
          Math.max(1, d.getSegments().size())));
    }
    return List.copyOf(out);
  }

  @Override
  public void createIndex(IndexSpec spec) {
    createIndex(spec, upTo -> {});
  }

  /** Builds on a handle opened first; reports the largest fragment id that handle reads. */
  @Override
  public void createIndex(IndexSpec spec, java.util.function.LongConsumer readsFragmentsUpTo) {
    table.ensureOpen();
    run("createIndex", NativeMaintenance::indexCommitted, ds -> readsFragmentsUpTo.accept(
        ds.getFragments().stream().mapToLong(Fragment::getId).max().orElse(-1)), ds -> {
      table.split().buildIndex(ds, spec);
      return null;
    });
  }

  @Override
  public void optimizeIndices(int mergeDeltas) {
    table.ensureOpen();
    run("optimizeIndices", NativeMaintenance::indexCommitted, ds -> {
      ds.optimizeIndices(OptimizeOptions.builder().numIndicesToMerge(mergeDeltas).build());
      return null;
    });
  }

  @Override
  public void dropIndex(String name) {
    table.ensureOpen();
    run("dropIndex", ds -> {
      ds.dropIndex(name);
      return null;
    });
  }

  /**
   * One Rewrite commit that merges exactly {@code ids} (adjacent fragments of the latest
   * version): compaction tasks built from those fragments instead of Lance's own plan, so no
   * fragment an index build is reading is touched. Lance refuses a rewrite group that mixes
   * fragments an index segment covers with ones it does not (checked per segment: fragments
   * refreshed into two different delta segments count as a split), so the group is split into
   * runs covered by the same segments, one task per run of two or more.
   */
  @Override
  public void mergeFragments(List<Long> ids) {
    table.ensureOpen();
    run("mergeFragments", NativeMaintenance::rewritten, ds -> {
      java.util.Set<Long> wanted = new java.util.HashSet<>(ids);
      Map<Integer, java.util.Set<String>> coverage = new HashMap<>();
      for (org.lance.index.Index index : ds.getIndexes()) {
        index.fragments().ifPresent(fs -> fs.forEach(f ->
            coverage.computeIfAbsent(f, k -> new java.util.TreeSet<>())
                .add(index.uuid().toString())));
      }
      List<List<FragmentMetadata>> runs = new ArrayList<>();
      List<FragmentMetadata> run = new ArrayList<>();
      java.util.Set<String> runCoverage = null;
      int found = 0;
      for (Fragment f : ds.getFragments()) {
        if (!wanted.contains((long) f.getId())) {
          continue;
        }
        found++;
        java.util.Set<String> c = coverage.getOrDefault(f.getId(), java.util.Set.of());
        if (runCoverage != null && !runCoverage.equals(c)) {
          runs.add(run);
          run = new ArrayList<>();
        }
        run.add(f.metadata());
        runCoverage = c;
      }
      runs.add(run);
      if (found != wanted.size()) {
        // a concurrent compaction rewrote some of them: nothing to commit, plan again
        throw Errors.conflict(table.displayUri(), ds.version(), new IllegalStateException(
            "fragments " + ids + " are no longer all live at version " + ds.version()));
      }
      table.split().rewrite(ds, runs.stream().filter(g -> g.size() >= 2).toList(),
          new SplitTasks.Compaction(Long.MAX_VALUE, 0));
      return null;
    });
  }

  @Override
  public long cleanupVersions(long keepFromVersion) {
    table.ensureOpen();
    return run("cleanupVersions", ds -> {
      RemovalStats s = ds.cleanupWithPolicy(
          CleanupPolicy.builder().withBeforeVersion(keepFromVersion).build());
      return s.getOldVersions();
    });
  }

  /** Runs a read-only (or delete-only) {@code op}; see the other overload. */
  private <T> T run(String operation, Function<Dataset, T> op) {
    return run(operation, null, ds -> {}, op);
  }

  private <T> T run(String operation, Landed landed, Function<Dataset, T> op) {
    return run(operation, landed, ds -> {}, op);
  }

  /** How to tell, from a handle at the start version, whether a commit of the op landed. */
  @FunctionalInterface
  private interface Landed {
    /** Returns the test to run on the latest version after a lost reply. */
    Reconcile from(Dataset start);
  }

  @FunctionalInterface
  private interface Reconcile {
    boolean landed(Dataset latest) throws Exception;
  }

  /** A compaction landed if a fragment of the start version is gone (rewritten). */
  private static Reconcile rewritten(Dataset start) {
    java.util.Set<Integer> before = new java.util.HashSet<>();
    start.getFragments().forEach(f -> before.add(f.getId()));
    return latest -> {
      java.util.Set<Integer> now = new java.util.HashSet<>();
      latest.getFragments().forEach(f -> now.add(f.getId()));
      return !now.containsAll(before);
    };
  }

  /** An index build landed if a CreateIndex version was committed after the start version. */
  private static Reconcile indexCommitted(Dataset start) {
    long from = start.version();
    return latest -> {
      for (long v = from + 1; v <= latest.version(); v++) {
        try (Dataset at = latest.checkoutVersion(v)) {
          Optional<Transaction> txn = at.readTransaction();
          if (txn.isPresent()) {
            try (Transaction t = txn.get()) {
              if ("CreateIndex".equals(t.operation().name())) {
                return true;
              }
            }
          }
        }
      }
      return false;
    };
  }

  /**
   * Runs {@code op} on a fresh handle at the latest version and classifies Lance's errors. An
   * op that commits (it has a {@code landed} test) runs with the object-store client's retries
   * off, like every commit of the sink, and a transient error is reconciled: if the table shows
   * the op landed, it returns null. (A concurrent maintainer's commit of the same kind counts
   * too; the planner then finds nothing due, which is the same outcome.)
   */
  private <T> T run(String operation, Landed landed, java.util.function.Consumer<Dataset> opened,
      Function<Dataset, T> op) {
    Dataset ds;
    try {
      ds = landed == null ? table.open(table.storageOptions()) : table.openForCommit();
    } catch (Exception e) { // Lance also throws undeclared checked exceptions (IOException)
      throw classify(operation, e);
    }
    try {
      Reconcile reconcile = landed == null ? null : landed.from(ds);
      opened.accept(ds);
      afterOpen.accept(operation);
      try {
        return op.apply(ds);
      } catch (Exception e) {
        if (reconcile != null && !(e instanceof LanceSinkException)
            && !LanceErrors.isConflict(e) && LanceErrors.isTransient(e)
            && landed(operation, reconcile, e)) {
          return null;
        }
        throw e;
      }
    } catch (Exception e) {
      throw classify(operation, e);
    } finally {
      ds.close();
    }
  }

  /** Reads the latest version to learn whether the op landed; fails closed. */
  private boolean landed(String operation, Reconcile reconcile, Exception cause) {
    try (Dataset latest = table.open(table.storageOptions())) {
      if (reconcile.landed(latest)) {
        LOG.info("{} on {}: the reply was lost, but the commit landed", operation,
            table.displayUri());
        return true;
      }
      return false;
    } catch (Exception read) {
      throw Errors.stateUnreconciled(operation, table.displayUri(),
          Redactor.scrub(cause, table.storageOptions()), classify(operation, read));
    }
  }

  private LanceSinkException classify(String operation, Exception e) {
    return LanceErrors.maintenance(operation, table.displayUri(), table.storageOptions(), e);
  }

  void afterOpen(java.util.function.Consumer<String> hook) {
    this.afterOpen = hook;
  }

  /**
   * The vector index; while a retrained index and the one it replaces both exist (between the
   * retrain's commit and the drop of the old one), the one covering more rows.
   */
  static Optional<IndexState> vectorIndex(List<IndexState> indices) {
    return indices.stream().filter(i -> i.kind() == IndexState.Kind.VECTOR)
        .max(java.util.Comparator.comparingLong(IndexState::indexedRows));
  }
}
