package io.github.lancesink.lance;

import io.github.lancesink.spi.IndexSpec;
import java.util.ArrayList;
import java.util.List;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.compaction.Compaction;
import org.lance.compaction.CompactionOptions;
import org.lance.compaction.CompactionTask;
import org.lance.compaction.RewriteResult;
import org.lance.compaction.TaskData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction, fragment merges and vector index builds of {@link NativeMaintenance}. Without
 * {@link MaintenanceWorkers} everything runs in this JVM. With them, they are split into tasks
 * for the workers: this JVM
 * plans on a handle at one version, the workers rewrite fragment groups or build index segments
 * (opening the table at that version themselves), and this JVM commits all results in one commit
 * from the same handle, so Lance checks the commit against everything that landed since the
 * planned version exactly as it does for a single-JVM action. Nothing is committed unless every
 * task succeeded.
 */
final class SplitMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(SplitMaintenance.class);

  private final SplitTasks.Location table;
  private final MaintenanceWorkers workers;
  private final String displayUri;

  /** @param workers runs the tasks, or null: everything runs here */
  SplitMaintenance(SplitTasks.Location table, MaintenanceWorkers workers, String displayUri) {
    this.table = table;
    this.workers = workers;
    this.displayUri = displayUri;
  }

  /** Lance's own compaction plan, its tasks run by the workers, one commit here. */
  void compact(Dataset ds, SplitTasks.Compaction spec) {
    CompactionOptions o = spec.options();
    if (workers == null) {
      ds.compact(o);
      return;
    }
    List<List<FragmentMetadata>> groups = new ArrayList<>();
    for (CompactionTask t : Compaction.planCompaction(ds, o).getCompactionTasks()) {
      groups.add(t.getTaskData().getFragments());
    }
    rewrite(ds, groups, spec);
  }

  /**
   * Rewrites each group into one fragment (or more, at the spec's target) and commits the
   * rewrites together; in this JVM when the groups are too small to be worth a remote job.
   */
  void rewrite(Dataset ds, List<List<FragmentMetadata>> groups, SplitTasks.Compaction spec) {
    if (groups.isEmpty()) {
      return;
    }
    CompactionOptions o = spec.options();
    long rows = groups.stream().flatMap(List::stream)
        .mapToLong(FragmentMetadata::getPhysicalRows).sum();
    List<RewriteResult> results;
    if (workers != null && workers.worthDistributing(rows)) {
      List<SplitTasks.Rewrite> tasks = new ArrayList<>();
      for (List<FragmentMetadata> g : groups) {
        tasks.add(new SplitTasks.Rewrite(table, new TaskData(g), ds.version(), spec));
      }
      results = workers.runAll("rewrite " + groups.size() + " fragment groups (" + rows
          + " rows) of " + displayUri, tasks);
    } else {
      results = new ArrayList<>();
      for (List<FragmentMetadata> g : groups) {
        results.add(new CompactionTask(new TaskData(g), ds.version(), o).execute(ds));
      }
    }
    if (results.size() != groups.size()) { // a worker broke the runAll contract
      throw new IllegalStateException("expected " + groups.size() + " rewrites, got "
          + results.size());
    }
    Compaction.commitCompaction(ds, results, o);
  }

  /**
   * Trains the centroids in one task, builds one segment per group of fragments in parallel,
   * merges the segments into one in another task (so the index looks exactly like a single-JVM
   * build: one segment), and commits it here.
   */
  void buildIndex(Dataset ds, IndexSpec spec) {
    if (workers == null || !IndexOptionsFor.splittable(spec)) {
      ds.createIndex(IndexOptionsFor.spec(spec));
      return;
    }
    long version = ds.version();
    SplitTasks.Spec values = SplitTasks.Spec.of(spec);
    List<List<Integer>> groups = groups(ds.getFragments(), workers.parallelism());
    float[] centroids = workers.runAll("train " + spec.partitions() + " IVF centroids of '"
        + spec.name() + "' on " + displayUri,
        List.of(new SplitTasks.Train(table, version, values))).get(0);
    List<SplitTasks.Segment> tasks = new ArrayList<>();
    for (List<Integer> g : groups) {
      tasks.add(new SplitTasks.Segment(table, version, values, centroids, g));
    }
    List<SplitTasks.SegmentMeta> segments = workers.runAll("build " + groups.size()
        + " segments of '" + spec.name() + "' on " + displayUri, tasks);
    SplitTasks.SegmentMeta one = segments.size() == 1 ? segments.get(0)
        : workers.runAll("merge " + segments.size() + " segments of '" + spec.name() + "' on "
            + displayUri, List.of(new SplitTasks.Merge(table, version, segments))).get(0);
    LOG.debug("committing index '{}' over {} fragments of {} built in {} segments", spec.name(),
        one.coveredFragments(), displayUri, segments.size());
    ds.commitExistingIndexSegments(spec.name(), spec.column(), List.of(one.index()));
  }

  /** Adjacent fragments in at most {@code n} groups of about equal rows. */
  static List<List<Integer>> groups(List<Fragment> fragments, int n) {
    long total = 0;
    for (Fragment f : fragments) {
      total += f.metadata().getPhysicalRows();
    }
    int count = Math.max(1, Math.min(n, fragments.size()));
    long share = (total + count - 1) / count;
    List<List<Integer>> out = new ArrayList<>();
    List<Integer> group = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < fragments.size(); i++) {
      group.add(fragments.get(i).getId());
      rows += fragments.get(i).metadata().getPhysicalRows();
      int toOpen = count - out.size() - 1; // groups still to start after this one
      if (toOpen > 0 && (rows >= share || fragments.size() - i - 1 == toOpen)) {
        out.add(group);
        group = new ArrayList<>();
        rows = 0;
      }
    }
    if (!group.isEmpty()) {
      out.add(group);
    }
    return out;
  }
}
