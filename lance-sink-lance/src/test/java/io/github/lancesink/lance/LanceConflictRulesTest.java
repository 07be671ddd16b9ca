package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.lancesink.LanceSink;
import io.github.lancesink.TestRows;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.compaction.Compaction;
import org.lance.compaction.CompactionOptions;
import org.lance.compaction.CompactionTask;
import org.lance.compaction.RewriteResult;
import org.lance.compaction.TaskData;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.OptimizeOptions;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.SQBuildParams;
import org.lance.index.vector.VectorIndexParams;

/**
 * Lance 7.0.0's conflict rules between the maintenance lanes, checked on real Lance: a handle is
 * opened at version v (where a slow action reads), another handle commits a cheap action, then
 * the slow action commits against v. These facts decide what the fast lane may do while the
 * slow lane builds or retrains the vector index (see docs/ENGINEERING-NOTES.md).
 */
class LanceConflictRulesTest {
  static final int DIM = 16;
  @TempDir Path dir;

  private String uri;

  private void append(long batch, int fragments) throws Exception {
    try (RootAllocator a = new RootAllocator();
        LanceSink s = LanceSink.builder().tableUri(uri).writerId("w").vectorColumn("vector", DIM)
            .optimizePolicy(OptimizePolicy.never()).build()) {
      for (int f = 0; f < fragments; f++) {
        long b = batch + f;
        try (ArrowReader r = TestRows.reader(a, b * 1000, 300, DIM)) {
          s.write(b, r);
        }
      }
    }
  }

  private static Dataset open(String uri, RootAllocator a) {
    return Dataset.open(uri, a);
  }

  private static IndexOptions vectorIndex() {
    return vectorIndex("vector_idx");
  }

  private static IndexOptions vectorIndex(String name) {
    return IndexOptions.builder(List.of("vector"), IndexType.IVF_SQ,
            IndexParams.builder().setVectorIndexParams(
                new VectorIndexParams.Builder(new IvfBuildParams.Builder().setNumPartitions(2)
                    .build()).setSqParams(new SQBuildParams.Builder().build()).build()).build())
        .replace(true).withIndexName(name).build();
  }

  /** Merges exactly the fragments at {@code positions} (one Rewrite commit). */
  private static void merge(Dataset ds, int fromPosition, int toPosition) {
    List<FragmentMetadata> group = new ArrayList<>();
    List<Fragment> all = ds.getFragments();
    for (int i = fromPosition; i < toPosition; i++) {
      group.add(all.get(i).metadata());
    }
    CompactionOptions o = CompactionOptions.builder().withTargetRowsPerFragment(1 << 20).build();
    RewriteResult r = new CompactionTask(new TaskData(group), ds.version(), o).execute(ds);
    Compaction.commitCompaction(ds, List.of(r), o);
  }

  private static long rows(String uri, RootAllocator a) {
    try (Dataset ds = open(uri, a)) {
      return ds.countRows();
    }
  }

  @Test
  void rewriteOfFragmentsAddedAfterAnIndexBuildStartedDoesNotConflictWithIt() throws Exception {
    uri = dir.resolve("a.lance").toString();
    append(0, 4);
    try (RootAllocator a = new RootAllocator(); Dataset slow = open(uri, a)) {
      append(10, 3);
      try (Dataset fast = open(uri, a)) {
        merge(fast, 4, 7);
      }
      slow.createIndex(vectorIndex());
      try (Dataset after = open(uri, a)) {
        assertThat(after.getFragments()).hasSize(5);
        assertThat(after.describeIndices().get(0).getRowsIndexed()).isEqualTo(1200);
      }
      assertThat(rows(uri, a)).isEqualTo(2100);
    }
  }

  @Test
  void rewriteOfFragmentsAnIndexBuildReadsMakesTheBuildConflict() throws Exception {
    uri = dir.resolve("b.lance").toString();
    append(0, 4);
    try (RootAllocator a = new RootAllocator(); Dataset slow = open(uri, a)) {
      try (Dataset fast = open(uri, a)) {
        merge(fast, 2, 4);
      }
      assertThatThrownBy(() -> slow.createIndex(vectorIndex()))
          .hasMessageContaining("preempted by concurrent transaction Rewrite");
      assertThat(rows(uri, a)).isEqualTo(1200);
    }
  }

  /** A refresh of the index a retrain replaces (same name) makes the retrain fail. */
  @Test
  void aRefreshOfTheSameIndexNameMakesARetrainConflict() throws Exception {
    uri = dir.resolve("c.lance").toString();
    append(0, 4);
    try (RootAllocator a = new RootAllocator()) {
      try (Dataset ds = open(uri, a)) {
        ds.createIndex(vectorIndex());
      }
      append(10, 2);
      try (Dataset slow = open(uri, a)) {
        append(20, 1);
        try (Dataset fast = open(uri, a)) {
          fast.optimizeIndices(OptimizeOptions.builder().numIndicesToMerge(0).build());
        }
        assertThatThrownBy(() -> slow.createIndex(vectorIndex()))
            .hasMessageContaining("preempted by concurrent transaction CreateIndex");
      }
      assertThat(rows(uri, a)).isEqualTo(2100);
    }
  }

  /** And the other way round: a retrain that lands first makes the refresh in flight fail. */
  @Test
  void aRetrainThatLandsFirstMakesARefreshInFlightConflict() throws Exception {
    uri = dir.resolve("e.lance").toString();
    append(0, 4);
    try (RootAllocator a = new RootAllocator()) {
      try (Dataset ds = open(uri, a)) {
        ds.createIndex(vectorIndex());
      }
      append(10, 2);
      try (Dataset fast = open(uri, a)) {
        try (Dataset slow = open(uri, a)) {
          slow.createIndex(vectorIndex());
        }
        assertThatThrownBy(() -> fast.optimizeIndices(
                OptimizeOptions.builder().numIndicesToMerge(0).build()))
            .hasMessageContaining("preempted by concurrent transaction CreateIndex");
      }
      assertThat(rows(uri, a)).isEqualTo(1800);
    }
  }

  /**
   * A retrain under another name lands although the old index was refreshed and fragments
   * added after the retrain opened the table were merged meanwhile; it covers what it read, the
   * old index everything; after the old one is dropped only the new one is left.
   */
  @Test
  void aRetrainUnderAnotherNameLandsBesideRefreshesAndMerges() throws Exception {
    uri = dir.resolve("f.lance").toString();
    append(0, 4);
    try (RootAllocator a = new RootAllocator()) {
      try (Dataset ds = open(uri, a)) {
        ds.createIndex(vectorIndex());
      }
      append(10, 2);
      try (Dataset slow = open(uri, a)) {
        append(20, 3);
        try (Dataset fast = open(uri, a)) {
          merge(fast, 6, 9);
        }
        try (Dataset fast = open(uri, a)) {
          fast.optimizeIndices(OptimizeOptions.builder().numIndicesToMerge(0)
              .indexNames(List.of("vector_idx")).build());
        }
        slow.createIndex(vectorIndex("vector_idx_b"));
      }
      try (Dataset after = open(uri, a)) {
        assertThat(after.describeIndices()).extracting(d -> d.getName(), d -> d.getRowsIndexed())
            .containsExactlyInAnyOrder(tuple("vector_idx", 2700L), tuple("vector_idx_b", 1800L));
        after.dropIndex("vector_idx");
      }
      try (Dataset after = open(uri, a)) {
        assertThat(after.describeIndices()).extracting(d -> d.getName())
            .containsExactly("vector_idx_b");
      }
      assertThat(rows(uri, a)).isEqualTo(2700);
    }
  }

  /**
   * Lance refuses to merge two fragments refreshed into two different delta segments ("a split
   * of indexed and non-indexed data", judged per segment), which is why the sink splits a merge
   * by segment coverage and refreshes into the newest delta beside a build.
   */
  @Test
  void fragmentsInTwoDeltaSegmentsCannotBeMergedTogether() throws Exception {
    uri = dir.resolve("g.lance").toString();
    append(0, 4);
    try (RootAllocator a = new RootAllocator()) {
      try (Dataset ds = open(uri, a)) {
        ds.createIndex(vectorIndex());
      }
      for (int d = 0; d < 2; d++) {
        append(10 + d, 1);
        try (Dataset ds = open(uri, a)) {
          ds.optimizeIndices(OptimizeOptions.builder().numIndicesToMerge(0).build());
        }
      }
      try (Dataset ds = open(uri, a)) {
        assertThatThrownBy(() -> merge(ds, 4, 6))
            .hasMessageContaining("split of indexed and non-indexed data");
      }
      assertThat(rows(uri, a)).isEqualTo(1800);
    }
  }
}
